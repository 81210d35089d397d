import Foundation
import GRDB
import TLSRPTCore
import TLSRPTExtract
import TLSRPTTestSupport
import Testing

@testable import TLSRPTStore

/// The diagnosis evidence read from the per-day rollups (whole days) and the raw rows (edge days) must be
/// exactly what grouping the raw rows gives, for any period and filter, and the rollups rebuilt from the
/// raw rows (migration, prune) must equal those maintained report by report at insert.
struct EvidenceRollupTests {
    let dir = TemporaryDirectory()
    let store: ReportStore

    static let policyA = #"["version: STSv1","mode: enforce","mx: mx1.example.com","max_age: 604800"]"#
    static let policyB = #"["version: STSv1","mode: testing","mx: *.example.com","max_age: 86400"]"#
    static let policyC = #"["version: STSv1","mode: enforce","mx: mx.example.org","max_age: 604800"]"#

    init() throws {
        store = try ReportStore(path: dir.file("db.sqlite"))
        try Self.commit(Self.fixture(), to: store)
    }

    static func commit(_ reports: [[UInt8]], to store: ReportStore) throws {
        var batch = StoreBatch()
        for (i, json) in reports.enumerated() {
            batch.reports.append(
                IncomingReport(
                    decoded: try ReportDecoder().decode(json), rawGzip: Gzip.compress(json), provenance: Provenance(channel: .file, name: "\(i)")))
        }
        try store.commit(batch)
    }

    /// 42 reports over 7 days (2026-11-10 to 16), six a day at 00:00, 04:00, 08:30, 12:00, 16:00 and 23:59:59;
    /// three senders (two are one organisation spelled in two cases); example.com (sts, policy A or B, a
    /// second sts policy quoting A again in some reports), example.org (tlsa, and sometimes sts C), and
    /// no-policy-found without a domain. Failures with and without MX host and receiving IP, reason codes,
    /// additional information, a raw spelling that differs from the canonical name, an unknown type, and
    /// two details sharing a key inside one report.
    static func fixture() -> [[UInt8]] {
        (0..<42).map { i in
            let day = 10 + i / 6
            let time = ["00:00:00", "04:00:00", "08:30:00", "12:00:00", "16:00:00", "23:59:59"][i % 6]
            let org = ["Google Inc.", "Microsoft Corporation", "google inc."][i % 3]
            var policies: [String] = []
            var comDetails: [String] = []
            if i % 2 == 0 {
                let spelling = i % 4 == 0 ? "Certificate-Host-Mismatch" : "certificate-host-mismatch"
                let reason = i % 6 == 0 ? #","failure-reason-code":"hostname mismatch""# : ""
                comDetails.append(
                    #"{"result-type":"\#(spelling)","receiving-mx-hostname":"mx1.example.com","receiving-ip":"192.0.2.\#(i % 3)","failed-session-count":\#(i + 1)\#(reason)}"#
                )
                // The same key again in the same report, from another address.
                comDetails.append(
                    #"{"result-type":"certificate-host-mismatch","receiving-mx-hostname":"mx1.example.com","receiving-ip":"192.0.2.9","failed-session-count":2\#(reason)}"#
                )
                let information = i % 3 == 1 ? #","additional-information":"https://example.com/tls""# : ""
                comDetails.append(#"{"result-type":"starttls-not-supported","failed-session-count":1\#(information)}"#)
            }
            if i % 7 == 3 {
                comDetails.append(#"{"result-type":"Testing","receiving-mx-hostname":"mx2.example.com","failed-session-count":3}"#)
            }
            let comText = i % 4 == 0 ? policyB : policyA
            let comFailed = comDetails.isEmpty ? 0 : i % 5 + 1
            policies.append(
                #"{"policy":{"policy-type":"sts","policy-domain":"example.com","policy-string":\#(comText),"mx-host":["mx1.example.com"]},"summary":{"total-successful-session-count":\#(i * 3),"total-failure-session-count":\#(comFailed)},"failure-details":[\#(comDetails.joined(separator: ","))]}"#
            )
            if i % 10 == 0 {
                // The same policy quoted twice in one report: the report counts once for it.
                policies.append(
                    #"{"policy":{"policy-type":"sts","policy-domain":"example.com","policy-string":\#(comText)},"summary":{"total-successful-session-count":1,"total-failure-session-count":0}}"#
                )
            }
            let tlsaDetails =
                i % 3 == 0
                ? #"{"result-type":"tlsa-invalid","receiving-mx-hostname":"mx.example.org","receiving-ip":"2001:db8::1","failed-session-count":4}"#
                : ""
            policies.append(
                #"{"policy":{"policy-type":"tlsa","policy-domain":"example.org","policy-string":["3 1 1 abcd"]},"summary":{"total-successful-session-count":\#(i),"total-failure-session-count":\#(i % 3 == 0 ? 4 : 0)},"failure-details":[\#(tlsaDetails)]}"#
            )
            if i % 7 == 0 {
                policies.append(
                    #"{"policy":{"policy-type":"sts","policy-domain":"example.org","policy-string":\#(policyC)},"summary":{"total-successful-session-count":\#(i + 1),"total-failure-session-count":0}}"#
                )
            }
            if i % 5 == 0 {
                let reason = i % 10 == 0 ? #","failure-reason-code":"timeout""# : ""
                policies.append(
                    #"{"policy":{"policy-type":"no-policy-found"},"summary":{"total-successful-session-count":2,"total-failure-session-count":2},"failure-details":[{"result-type":"sts-policy-fetch-error","failed-session-count":2\#(reason)}]}"#
                )
            }
            return reportJSON(
                organization: "\"\(org)\"", reportID: "\"r\(i)\"", start: "2026-11-\(day)T\(time)Z", end: "2026-11-\(day + 1)T00:00:00Z",
                policies: "[\(policies.joined(separator: ","))]")
        }
    }

    static func date(_ text: String) -> Date { RFC3339Date.parse(text)!.date }

    /// A stored `policy_strings` (a JSON array) as its lines.
    static func lines(_ stored: String) -> [String] { ReportStore.decodePolicyStrings(stored) }

    /// The evidence as the raw-row queries gave it before the rollups (kept here as the oracle). "Last end" is the
    /// end of the latest report; "first start ever" the start of the earliest counted report of the group, in any period.
    static func oracle(_ store: ReportStore, _ filter: ReportFilter) throws -> EvidenceRows {
        try store.pool.read { db in
            let condition = filter.conditions(policyAlias: "p")
            var evidence = EvidenceRows()
            evidence.failures = try Row.fetchAll(
                db,
                sql: """
                    SELECT r.organization, p.policy_domain, p.policy_type, p.policy_strings, f.result_type,
                        GROUP_CONCAT(DISTINCT NULLIF(f.result_type_raw, f.result_type)), f.receiving_mx_hostname,
                        GROUP_CONCAT(DISTINCT f.receiving_ip), f.failure_reason_code, f.additional_information,
                        SUM(f.failed_sessions), COUNT(DISTINCT r.id), MIN(r.start_time), MAX(r.end_time),
                        SUM(CASE WHEN p.counted THEN f.failed_sessions ELSE 0 END),
                        (SELECT MIN(r2.start_time) FROM failure f2 JOIN policy p2 ON p2.id = f2.policy JOIN report r2 ON r2.id = f2.report
                         WHERE r2.counts = 1 AND r2.organization = r.organization AND p2.policy_domain IS p.policy_domain
                            AND p2.policy_type = p.policy_type AND p2.policy_strings IS p.policy_strings AND f2.result_type = f.result_type
                            AND f2.receiving_mx_hostname IS f.receiving_mx_hostname AND f2.failure_reason_code IS f.failure_reason_code
                            AND f2.additional_information IS f.additional_information)
                    FROM failure f JOIN policy p ON p.id = f.policy JOIN report r ON r.id = f.report
                    WHERE \(condition.sql)
                    GROUP BY r.organization, p.policy_domain, p.policy_type, p.policy_strings, f.result_type,
                        f.receiving_mx_hostname, f.failure_reason_code, f.additional_information
                    """,
                arguments: condition.arguments
            ).map { row in
                EvidenceRows.Failure(
                    sender: row[0], domain: row[1], policyType: row[2], policyText: row[3], resultType: row[4],
                    resultTypeRaw: ReportStore.list(row[5]), mxHost: row[6], receivingIPs: ReportStore.list(row[7]), reasonCode: row[8],
                    additionalInformation: row[9], failed: row[10], countedFailed: row[14], reports: row[11], firstStart: row[12],
                    lastEnd: row[13], firstStartEver: row[15])
            }
            evidence.stsPolicies = try Row.fetchAll(
                db,
                sql: """
                    SELECT p.policy_domain, p.policy_strings, COUNT(DISTINCT r.id), MAX(r.start_time)
                    FROM policy p JOIN report r ON r.id = p.report
                    WHERE p.policy_type = 'sts' AND p.policy_strings IS NOT NULL AND \(condition.sql)
                    GROUP BY p.policy_domain, p.policy_strings
                    """,
                arguments: condition.arguments
            ).map { EvidenceRows.QuotedPolicy(domain: $0[0], policyText: $0[1], reports: $0[2], lastStart: $0[3]) }
            evidence.sessions = try Row.fetchAll(
                db,
                sql: """
                    SELECT r.organization, p.policy_domain, SUM(p.successful), SUM(p.failed)
                    FROM policy p JOIN report r ON r.id = p.report
                    WHERE p.counted = 1 AND \(condition.sql)
                    GROUP BY r.organization, p.policy_domain
                    """,
                arguments: condition.arguments
            ).map { EvidenceRows.Sessions(sender: $0[0], domain: $0[1], successful: $0[2], failed: $0[3]) }
            return evidence
        }
    }

    /// The same rows whatever order they came in: the analysis orders them, not the store.
    static func expectSame(_ actual: EvidenceRows, _ expected: EvidenceRows, sourceLocation: SourceLocation = #_sourceLocation) {
        func sorted<T>(_ rows: [T], _ describe: (T) -> String) -> [String] { rows.map(describe).sorted() }
        #expect(sorted(actual.failures) { "\($0)" } == sorted(expected.failures) { "\($0)" }, sourceLocation: sourceLocation)
        #expect(actual.failures.count == expected.failures.count, sourceLocation: sourceLocation)
        #expect(sorted(actual.stsPolicies) { "\($0)" } == sorted(expected.stsPolicies) { "\($0)" }, sourceLocation: sourceLocation)
        #expect(sorted(actual.sessions) { "\($0)" } == sorted(expected.sessions) { "\($0)" }, sourceLocation: sourceLocation)
    }

    /// Periods and filters: (from, to, domain, sender).
    static let filters: [(String?, String?, String?, String?)] = [
        (nil, nil, nil, nil),
        ("2026-11-11T00:00:00Z", "2026-11-14T00:00:00Z", nil, nil),  // whole days only
        ("2026-11-11T06:00:00Z", "2026-11-14T13:00:00Z", nil, nil),  // partial days at both ends
        ("2026-11-12T04:00:00Z", "2026-11-12T16:00:00Z", nil, nil),  // inside one day
        ("2026-11-10T23:59:59Z", "2026-11-16T00:00:00Z", nil, nil),  // the edge is the last second of a day
        ("2026-11-11T08:30:00Z", "2026-11-15T12:00:01Z", "example.com", nil),
        ("2026-11-11T08:30:01Z", "2026-11-15T12:00:00Z", "example.org", nil),
        ("2026-11-09T12:00:00Z", "2026-11-20T00:00:00Z", nil, "GOOGLE INC."),
        (nil, nil, "example.com", "Microsoft Corporation"),
        ("2026-11-11T04:00:00Z", "2026-11-11T04:00:01Z", nil, nil),  // i = 7 alone: two quoted policies tie
        ("2026-12-01T00:00:00Z", "2026-12-08T00:00:00Z", nil, nil),  // nothing stored
    ]

    static func filter(_ from: String?, _ to: String?, _ domain: String?, _ sender: String?) -> ReportFilter {
        ReportFilter(from: from.map(date), to: to.map(date), domain: domain, sender: sender)
    }

    @Test(arguments: filters)
    func evidenceAgreesWithTheRawRows(from: String?, to: String?, domain: String?, sender: String?) throws {
        let filter = Self.filter(from, to, domain, sender)
        let expected = try Self.oracle(store, filter)
        if from == nil || from!.hasPrefix("2026-11") {
            #expect(!expected.stsPolicies.isEmpty && !expected.sessions.isEmpty)
        }
        Self.expectSame(try store.evidenceRows(filter), expected)
    }

    @Test(arguments: filters)
    func periodRowsAreTheThreeReadsInOne(from: String?, to: String?, domain: String?, sender: String?) throws {
        let filter = Self.filter(from, to, domain, sender)
        let rows = try store.periodRows(filter)
        let cells = try store.summaryCells(filter)
        #expect(rows.cells.reportsBySender == cells.reportsBySender && rows.cells.sessions == cells.sessions)
        #expect(rows.cells.failures == cells.failures && rows.cells.earliestStart == cells.earliestStart)
        // The evidence's sessions come from the cells here, from their own queries in the oracle.
        Self.expectSame(rows.evidence, try Self.oracle(store, filter))
        #expect(rows.daily == (try store.dailyTotals(filter)))
    }

    /// Deletes the raw rows (reports, with their policies and failure details) of reports starting in
    /// [from, to), leaving the rollups as they are.
    func deleteRawRows(from: String? = nil, to: String? = nil) throws {
        try store.pool.write { db in
            try db.execute(
                sql: "DELETE FROM report WHERE start_time >= ? AND start_time < ?",
                arguments: [
                    from.map { Int64(Self.date($0).timeIntervalSince1970) } ?? Int64.min,
                    to.map { Int64(Self.date($0).timeIntervalSince1970) } ?? Int64.max,
                ])
        }
    }

    static func expectSame(_ a: PeriodRows, _ b: PeriodRows, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.cells.reportsBySender == b.cells.reportsBySender, sourceLocation: sourceLocation)
        #expect(a.cells.sessions == b.cells.sessions && a.cells.failures == b.cells.failures, sourceLocation: sourceLocation)
        #expect(a.cells.earliestStart == b.cells.earliestStart && a.cells.latestEnd == b.cells.latestEnd, sourceLocation: sourceLocation)
        expectSame(a.evidence, b.evidence, sourceLocation: sourceLocation)
        #expect(a.daily == b.daily, sourceLocation: sourceLocation)
    }

    @Test func wholeDaysAreReadFromTheRollupsAlone() throws {
        // 2026-11-11T06:00 to 2026-11-14T13:00: the whole days are the 12th and 13th.
        let period = Self.filter("2026-11-11T06:00:00Z", "2026-11-14T13:00:00Z", nil, nil)
        let everything = ReportFilter()
        let before = (period: try store.periodRows(period), everything: try store.periodRows(everything))
        #expect(!before.period.evidence.failures.isEmpty)
        try deleteRawRows(from: "2026-11-12T00:00:00Z", to: "2026-11-14T00:00:00Z")
        Self.expectSame(try store.periodRows(period), before.period)
        // --all has no edge days: with no raw row left, nothing changes.
        try deleteRawRows()
        #expect(try store.counts().reports == 0)
        Self.expectSame(try store.periodRows(everything), before.everything)
    }

    @Test func aReportCountsOnceForAKeyItsDetailsShare() throws {
        // 2026-11-10, i = 0 (Google Inc.) and i = 2 (google inc.), both with reason "hostname mismatch"
        // for i = 0 only: i = 0 has details 1 + 2 = 3 sessions from .0 and .9, spelled "Certificate-Host-Mismatch".
        let evidence = try store.evidenceRows(ReportFilter(from: Self.date("2026-11-10T00:00:00Z"), to: Self.date("2026-11-10T01:00:00Z")))
        let group = try #require(evidence.failures.first { $0.resultType == "certificate-host-mismatch" })
        #expect(group.sender == "Google Inc." && group.domain == "example.com" && group.mxHost == "mx1.example.com")
        #expect(group.failed == 3 && group.reports == 1)
        #expect(group.receivingIPs == ["192.0.2.0", "192.0.2.9"])
        #expect(group.resultTypeRaw == ["Certificate-Host-Mismatch"])
        #expect(group.reasonCode == "hostname mismatch")
        #expect(STSPolicy.parse(try #require(group.policyText.map(Self.lines))).mode == .testing)
    }

    @Test func whole7DaysAddUpByHand() throws {
        let evidence = try store.evidenceRows(ReportFilter())
        // No-policy-found failures: i = 0, 5, ..., 40 (9 reports) with 2 sessions each; reason "timeout" for
        // even multiples of 5 (0, 10, 20, 30, 40), for every sender.
        let fetch = evidence.failures.filter { $0.resultType == "sts-policy-fetch-error" }
        #expect(fetch.allSatisfy { $0.domain == nil && $0.mxHost == nil && $0.policyType == "no-policy-found" })
        #expect(fetch.map(\.failed).reduce(0, +) == 18)
        #expect(fetch.map(\.reports).reduce(0, +) == 9)
        #expect(fetch.filter { $0.reasonCode == "timeout" }.map(\.reports).reduce(0, +) == 5)
        // Policy C is quoted for example.org by i = 0, 7, ..., 35 (6 reports); the last one starts 2026-11-15T23:59:59Z.
        let quotedC = try #require(evidence.stsPolicies.first { $0.domain == "example.org" })
        #expect(quotedC.reports == 6 && quotedC.lastStart == Int64(Self.date("2026-11-15T23:59:59Z").timeIntervalSince1970))
        // Policy B (i % 4 == 0: 11 reports, i = 0 ... 40) counts each report once although i = 0, 20, 40 quote it twice.
        #expect(evidence.stsPolicies.first { Self.lines($0.policyText).contains("mode: testing") }?.reports == 11)
    }

    /// The evidence rollups with ids resolved, in a stable order, for comparing two databases.
    static func rollupSnapshot(_ store: ReportStore) throws -> [String] {
        try store.pool.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT 'e|' || e.day || '|' || g.organization || '|' || g.policy_domain || '|' || g.policy_type || '|'
                        || COALESCE(t.text, '-') || '|' || g.result_type || '|' || g.mx_host || '|' || g.reason_code || '|'
                        || g.additional_information || '|' || e.failed || '|' || e.reports || '|' || e.first_start || '|' || e.last_start
                        || '|' || e.counted_failed || '|' || e.last_end
                        || '|' || COALESCE((SELECT GROUP_CONCAT(kind || ':' || value, ' ') FROM
                            (SELECT kind, value FROM rollup_evidence_value v
                             WHERE v.day = e.day AND v.evidence_group = e.evidence_group ORDER BY kind, value)), '')
                    FROM rollup_evidence e JOIN evidence_group g ON g.id = e.evidence_group LEFT JOIN policy_text t ON t.id = g.policy
                    UNION ALL
                    SELECT 's|' || s.day || '|' || s.organization || '|' || s.policy_domain || '|' || t.text || '|' || s.reports
                        || '|' || s.last_start
                    FROM rollup_sts_policy s JOIN policy_text t ON t.id = s.policy
                    ORDER BY 1
                    """)
        }
    }

    @Test func rebuildingGivesWhatTheInsertsMaintained() throws {
        let maintained = try Self.rollupSnapshot(store)
        #expect(maintained.count > 50)
        try store.pool.write { db in try Rollups.rebuild(db) }
        #expect(try Self.rollupSnapshot(store) == maintained)
    }

    @Test func pruneRebuildsTheSameRollupsAsInsertingOnlyWhatRemains() throws {
        // Reports end at midnight after their day: the cutoff keeps days 13 to 16 (i = 18 ... 41).
        _ = try store.prune(olderThan: Self.date("2026-11-14T00:00:00Z"))
        let fresh = try ReportStore(path: dir.file("fresh.sqlite"))
        try Self.commit(Array(Self.fixture()[18...]), to: fresh)
        #expect(try Self.rollupSnapshot(store) == Self.rollupSnapshot(fresh))
        Self.expectSame(try store.evidenceRows(ReportFilter()), try Self.oracle(store, ReportFilter()))
        Self.expectSame(try store.evidenceRows(ReportFilter()), try fresh.evidenceRows(ReportFilter()))
    }

    @Test func theMigrationFillsTheEvidenceRollupsOfAnExistingDatabase() throws {
        let maintained = try Self.rollupSnapshot(store)
        // Back to version 2: the evidence tables and the records of the migrations since gone (v3 creates the
        // tables, v5 and v7 add columns, the rebuild after them fills them).
        try store.pool.write { db in
            try db.execute(
                sql: """
                    DROP TABLE rollup_evidence_value; DROP TABLE rollup_evidence; DROP TABLE evidence_group;
                    DROP TABLE rollup_sts_policy; DROP TABLE policy_text;
                    DELETE FROM grdb_migrations WHERE identifier IN ('v3-evidence-rollups', 'v5-saturated-counts', 'v7-evidence-counted');
                    """)
        }
        let reopened = try ReportStore(path: dir.file("db.sqlite"))
        #expect(try Self.rollupSnapshot(reopened) == maintained)
        Self.expectSame(try reopened.evidenceRows(ReportFilter()), try Self.oracle(reopened, ReportFilter()))
    }
}
