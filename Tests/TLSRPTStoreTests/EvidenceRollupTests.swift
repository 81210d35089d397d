import Foundation
import GRDB
import TLSRPTCore
import TLSRPTExtract
import TLSRPTTestSupport
import Testing

@testable import TLSRPTStore

/// The evidence rollups rebuilt from the raw rows (migration, prune) must equal those maintained report by
/// report at insert.
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

    /// The evidence rollups with ids resolved, in a stable order, for comparing two databases.
    static func rollupSnapshot(_ store: ReportStore) throws -> [String] {
        try store.pool.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT 'e|' || e.day || '|' || g.organization || '|' || g.policy_domain || '|' || g.policy_type || '|'
                        || COALESCE(t.text, '-') || '|' || g.result_type || '|' || g.mx_host || '|' || g.reason_code || '|'
                        || g.additional_information || '|' || e.failed || '|' || e.reports || '|' || e.first_start || '|' || e.last_start
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
    }

    @Test func theMigrationFillsTheEvidenceRollupsOfAnExistingDatabase() throws {
        let maintained = try Self.rollupSnapshot(store)
        // Back to version 2: the evidence tables and the migration's record gone.
        try store.pool.write { db in
            try db.execute(
                sql: """
                    DROP TABLE rollup_evidence_value; DROP TABLE rollup_evidence; DROP TABLE evidence_group;
                    DROP TABLE rollup_sts_policy; DROP TABLE policy_text;
                    DELETE FROM grdb_migrations WHERE identifier = 'v3-evidence-rollups';
                    """)
        }
        let reopened = try ReportStore(path: dir.file("db.sqlite"))
        #expect(try Self.rollupSnapshot(reopened) == maintained)
    }
}
