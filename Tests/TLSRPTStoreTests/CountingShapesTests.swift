import Foundation
import GRDB
import TLSRPTCore
import TLSRPTExtract
import TLSRPTTestSupport
import Testing

@testable import TLSRPTStore

/// Issue #13's shapes through the real store (a SQLite file in a temporary folder). Every expected number
/// is worked out by hand in the comments, never taken from the code's output.
struct CountingShapesTests {
    let dir = TemporaryDirectory()
    let store: ReportStore

    init() throws {
        store = try ReportStore(path: dir.file("db.sqlite"))
    }

    static func entry(
        _ type: String, _ domain: String, _ ok: Int, _ failed: Int, policy: String? = nil, details: String? = nil
    ) -> String {
        let strings = policy.map { #","policy-string":["version: STSv1","mode: enforce","mx: \#($0)","max_age: 86400"]"# } ?? ""
        let failures = details.map { #","failure-details":[\#($0)]"# } ?? ""
        return
            #"{"policy":{"policy-type":"\#(type)","policy-domain":"\#(domain)"\#(strings)},"summary":{"total-successful-session-count":\#(ok),"total-failure-session-count":\#(failed)}\#(failures)}"#
    }

    /// SocketLabs' failure entry: two sessions failed on mx1, the host under its own key spelling.
    static let socketLabsFailure = #"{"result-type":"certificate-host-mismatch","sending-mta-ip":"142.0.177.133","receiving-mx-host-name":"mx1.example.com","receiving-ip":"192.0.2.7","failed-session-count":2}"#

    static func json(
        organization: String = "SocketLabs", id: String = "r1", day: Int = 22, _ entries: [String]
    ) -> [UInt8] {
        reportJSON(
            organization: "\"\(organization)\"", reportID: "\"\(id)\"", start: "2026-11-\(day)T00:00:00Z",
            end: "2026-11-\(day)T23:59:59Z", policies: "[\(entries.joined(separator: ","))]")
    }

    func incoming(_ bytes: [UInt8]) throws -> IncomingReport {
        IncomingReport(
            decoded: try ReportDecoder().decode(bytes), rawGzip: Gzip.compress(bytes), provenance: Provenance(channel: .file, name: "r.json"))
    }

    @discardableResult
    func commit(_ reports: [[UInt8]]) throws -> [InsertOutcome] {
        var outcomes: [InsertOutcome] = []
        // One batch per report, as separate arrivals.
        for bytes in reports {
            var batch = StoreBatch()
            batch.reports = [try incoming(bytes)]
            outcomes += try store.commit(batch)
        }
        return outcomes
    }

    /// (reports, successful, failed) over everything, from the rollups (whole days) and from the raw rows
    /// (a period inside one day), which must agree.
    func totals(domain: String? = nil) throws -> (reports: Int64, successful: Int64, failed: Int64) {
        func add(_ cells: SummaryCells) -> (Int64, Int64, Int64) {
            (
                cells.reportsBySender.values.reduce(0, +), cells.sessions.map(\.successful).reduce(0, +),
                cells.sessions.map(\.failed).reduce(0, +)
            )
        }
        let whole = add(try store.summaryCells(ReportFilter(domain: domain)))
        var raw: (Int64, Int64, Int64) = (0, 0, 0)
        for day in 20...25 {
            // From 00:00:00 to 23:00: not a whole day, so the raw rows answer.
            let from = try #require(RFC3339Date.parse("2026-11-\(day)T00:00:00Z")).date
            let cells = try store.summaryCells(ReportFilter(from: from, to: from.addingTimeInterval(23 * 3600), domain: domain))
            let part = add(cells)
            raw = (raw.0 + part.0, raw.1 + part.1, raw.2 + part.2)
        }
        #expect(whole == raw, "rollups \(whole) and raw rows \(raw) disagree")
        return (whole.0, whole.1, whole.2)
    }

    @Test func socketLabsSplitPolicyAddsUpAndKeepsTheHost() throws {
        // 12/0 + 0/2 (with the detail): 12 successful, 2 failed.
        try commit([Self.json([Self.entry("sts", "example.com", 12, 0), Self.entry("sts", "example.com", 0, 2, details: Self.socketLabsFailure)])])
        #expect(try totals() == (1, 12, 2))
        let failures = try store.summaryCells(ReportFilter()).failures
        #expect(failures == [.init(sender: "SocketLabs", domain: "example.com", resultType: "certificate-host-mismatch", mxHost: "mx1.example.com", failed: 2)])
        #expect(try store.check().isEmpty)
    }

    @Test func aPolicyThatChangedDuringTheDayAddsUp() throws {
        // Two sts entries with different policies, 30/0 and 10/3: 40 successful, 3 failed (43 sessions).
        try commit([
            Self.json(organization: "Google Inc.", [
                Self.entry("sts", "example.com", 30, 0, policy: "old.example.com"), Self.entry("sts", "example.com", 10, 3, policy: "new.example.com"),
            ])
        ])
        #expect(try totals() == (1, 40, 3))
        #expect(try store.check().isEmpty)
    }

    @Test func microsoftDualReportIsCountedOnce() throws {
        // sts 19/1 and tlsa 19/1 describe the same 20 sessions: 19 successful, 1 failed.
        try commit([
            Self.json(organization: "Microsoft Corporation", [Self.entry("sts", "example.com", 19, 1), Self.entry("tlsa", "example.com", 19, 1)])
        ])
        #expect(try totals() == (1, 19, 1))
    }

    @Test func allThreeShapesInOneReport() throws {
        // a.example: sts 12/0 + sts 0/2 (14 sessions) against tlsa 13/0 -> sts, 12/2.
        // b.example: sts 30/0 + sts 10/3 (policy changed)               -> 40/3.
        // c.example: sts 20/1 against tlsa 20/1 (same sessions)         -> 20/1.
        // d.example: sts 5/0 + sts 0/1 (6) against tlsa 7/0             -> tlsa, 7/0.
        // Total: 12 + 40 + 20 + 7 = 79 successful, 2 + 3 + 1 + 0 = 6 failed; one report.
        try commit([
            Self.json([
                Self.entry("sts", "a.example", 12, 0), Self.entry("tlsa", "a.example", 13, 0),
                Self.entry("sts", "a.example", 0, 2, details: Self.socketLabsFailure),
                Self.entry("sts", "b.example", 30, 0, policy: "old.b.example"), Self.entry("sts", "b.example", 10, 3, policy: "new.b.example"),
                Self.entry("sts", "c.example", 20, 1), Self.entry("tlsa", "c.example", 20, 1),
                Self.entry("sts", "d.example", 5, 0), Self.entry("sts", "d.example", 0, 1), Self.entry("tlsa", "d.example", 7, 0),
            ])
        ])
        #expect(try totals() == (1, 79, 6))
        #expect(try totals(domain: "a.example") == (1, 12, 2))
        #expect(try totals(domain: "d.example") == (1, 7, 0))
        #expect(try store.check().isEmpty)
    }

    /// Yahoo resent a report with other content: 12 sessions (12/0), then 30 (28/2).
    static let yahoo12 = json(organization: "Yahoo", id: "y1", [entry("sts", "example.com", 12, 0)])
    static let yahoo30 = json(
        organization: "Yahoo", id: "y1",
        [entry("sts", "example.com", 28, 2, details: #"{"result-type":"certificate-expired","receiving-mx-hostname":"mx1.example.com","failed-session-count":2}"#)])

    @Test(arguments: [false, true])
    func ofTwoVersionsTheOneWithMoreSessionsCountsInEitherOrder(thirtyFirst: Bool) throws {
        let outcomes = try commit(thirtyFirst ? [Self.yahoo30, Self.yahoo12] : [Self.yahoo12, Self.yahoo30])
        guard case .stored(_, false) = outcomes[0], case .stored(_, true) = outcomes[1] else {
            Issue.record("\(outcomes)")
            return
        }
        // 30 sessions (28/2) from one report, not 42.
        #expect(try totals() == (1, 28, 2))
        // The 12-session version's details are gone from the summary too; the 30-session one's count.
        let failures = try store.summaryCells(ReportFilter()).failures
        #expect(failures.map(\.failed) == [2])
        let listed = try store.reports(ReportFilter())
        #expect(listed.count == 2 && listed.allSatisfy(\.conflict))
        #expect(listed.filter(\.counts).map { $0.successful + $0.failed } == [30])
        #expect(try store.check().isEmpty)
        // Resending either again is a duplicate and changes nothing.
        #expect(try commit([Self.yahoo12, Self.yahoo30]).allSatisfy { if case .duplicate = $0 { true } else { false } })
        #expect(try totals() == (1, 28, 2))
    }

    @Test func aThirdVersionWithMoreFailuresTakesOverAndTheRollupsFollow() throws {
        // 12/0, then 28/2 (30), then 27/3 (30, more failures): the last counts, 27/3.
        let third = Self.json(organization: "Yahoo", id: "y1", [Self.entry("sts", "example.com", 27, 3)])
        try commit([Self.yahoo12, Self.yahoo30, third])
        #expect(try totals() == (1, 27, 3))
        // Its failure details: none, so no result type remains.
        #expect(try store.summaryCells(ReportFilter()).failures.isEmpty)
        #expect(try store.check().isEmpty)
    }

    /// Every rollup row, keyed by texts rather than ids (a whole rebuild numbers groups afresh).
    func rollupRows() throws -> [String] {
        try store.pool.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT 'r ' || day || ' ' || organization || ' ' || reports || ' ' || first_start || ' ' || last_end FROM rollup_report
                    UNION ALL SELECT 's ' || day || ' ' || organization || ' ' || policy_domain || ' ' || reports || ' ' || successful || ' ' || failed
                        || ' ' || first_start || ' ' || last_end FROM rollup_session
                    UNION ALL SELECT 'f ' || day || ' ' || organization || ' ' || policy_domain || ' ' || result_type || ' ' || mx_host || ' ' || failed
                        FROM rollup_failure
                    UNION ALL SELECT 'e ' || e.day || ' ' || g.organization || ' ' || g.policy_domain || ' ' || g.policy_type || ' '
                        || COALESCE(t.text, '') || ' ' || g.result_type || ' ' || g.mx_host || ' ' || e.failed || ' ' || e.reports || ' '
                        || e.first_start || ' ' || e.last_start || ' ' || e.receiving_ips_omitted
                        FROM rollup_evidence e JOIN evidence_group g ON g.id = e.evidence_group LEFT JOIN policy_text t ON t.id = g.policy
                    UNION ALL SELECT 'v ' || v.day || ' ' || g.organization || ' ' || g.result_type || ' ' || v.kind || ' ' || v.value
                        FROM rollup_evidence_value v JOIN evidence_group g ON g.id = v.evidence_group
                    UNION ALL SELECT 'p ' || p.day || ' ' || p.organization || ' ' || p.policy_domain || ' ' || t.text || ' ' || p.reports || ' '
                        || p.last_start FROM rollup_sts_policy p JOIN policy_text t ON t.id = p.policy
                    """
            ).sorted()
        }
    }

    @Test func aNewCountingVersionLeavesTheRollupsAsAWholeRebuildWould() throws {
        // Other senders and days around the resend, so that the day's rebuild must leave them alone.
        let failure = #"{"result-type":"certificate-expired","receiving-mx-hostname":"mx1.example.com","receiving-ip":"192.0.2.9","failed-session-count":1}"#
        try commit([
            Self.json(organization: "Google Inc.", id: "g", [Self.entry("sts", "example.com", 9, 1, policy: "mx.example.com", details: failure)]),
            Self.json(organization: "Yahoo", id: "y0", day: 21, [Self.entry("sts", "example.com", 3, 1, policy: "mx.example.com", details: failure)]),
            Self.json(organization: "Yahoo", id: "y1", [Self.entry("sts", "example.com", 12, 1, policy: "mx.example.com", details: failure)]),
            Self.json(organization: "Yahoo", id: "y2", [Self.entry("sts", "example.com", 1, 1, policy: "mx.example.com", details: failure)]),
            Self.yahoo30,
        ])
        let incremental = try rollupRows()
        try store.pool.write { db in try Rollups.rebuild(db) }
        #expect(try rollupRows() == incremental)
    }

    @Test func aVersionInTheSameBatchAsTheOneItReplaces() throws {
        var batch = StoreBatch()
        batch.reports = [try incoming(Self.yahoo12), try incoming(Self.yahoo30)]
        try store.commit(batch)
        #expect(try totals() == (1, 28, 2))
    }

    @Test func aReportIDReusedTheNextDayIsAnotherReport() throws {
        // The same id on the 22nd and the 23rd, 5/1 each: both count, 10/2 from two reports, no conflict.
        let outcomes = try commit([
            Self.json(organization: "Yahoo", id: "same", day: 22, [Self.entry("sts", "example.com", 5, 1)]),
            Self.json(organization: "Yahoo", id: "same", day: 23, [Self.entry("sts", "example.com", 5, 1)]),
        ])
        guard case .stored(_, false) = outcomes[0], case .stored(_, false) = outcomes[1] else {
            Issue.record("\(outcomes)")
            return
        }
        #expect(try totals() == (2, 10, 2))
        #expect(try store.reports(ReportFilter()).allSatisfy { !$0.conflict && $0.counts })
    }

    @Test func aFullTieIsDecidedTheSameWayInEitherOrder() throws {
        // Same weight (10/1), different result types: whichever counts must not depend on the order.
        let a = Self.json(organization: "Yahoo", id: "t", [Self.entry("sts", "example.com", 10, 1, details: #"{"result-type":"certificate-expired","failed-session-count":1}"#)])
        let b = Self.json(organization: "Yahoo", id: "t", [Self.entry("sts", "example.com", 10, 1, details: #"{"result-type":"validation-failure","failed-session-count":1}"#)])
        try commit([a, b])
        let first = try store.summaryCells(ReportFilter()).failures.map(\.resultType)
        let other = try CountingShapesTests()
        try other.commit([b, a])
        #expect(try other.store.summaryCells(ReportFilter()).failures.map(\.resultType) == first)
        #expect(try totals() == (1, 10, 1))
    }
}
