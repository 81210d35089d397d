import Foundation
import GRDB
import TLSRPTCore
import TLSRPTExtract
import TLSRPTTestSupport
import Testing

@testable import TLSRPTStore

/// The per-day rollups must give exactly what the raw rows give, for periods that start and end
/// mid-day, with filters, and after a prune.
struct RollupTests {
    let dir = TemporaryDirectory()
    let store: ReportStore

    init() throws {
        store = try ReportStore(path: dir.file("db.sqlite"))
        var batch = StoreBatch()
        // 40 reports over 10 days, starting at 00:00 and 12:00, two senders, two domains, some failures.
        for i in 0..<40 {
            let day = 10 + i / 4
            let hour = i % 2 == 0 ? "00" : "12"
            let org = i % 3 == 0 ? "Microsoft Corporation" : "Google Inc."
            let domain = i % 5 == 0 ? "example.org" : "example.com"
            let failures =
                i % 4 == 1
                ? #","failure-details":[{"result-type":"certificate-expired","receiving-mx-hostname":"mx\#(i % 2).example.com","failed-session-count":\#(i)}]"#
                : ""
            let json = reportJSON(
                organization: "\"\(org)\"", reportID: "\"r\(i)\"", start: "2026-11-\(day)T\(hour):00:00Z", end: "2026-11-\(day)T23:59:59Z",
                policies:
                    #"[{"policy":{"policy-type":"sts","policy-domain":"\#(domain)"},"summary":{"total-successful-session-count":\#(i * 10),"total-failure-session-count":\#(i % 4)}\#(failures)},{"policy":{"policy-type":"no-policy-found"},"summary":{"total-successful-session-count":1,"total-failure-session-count":0}}]"#
            )
            batch.reports.append(
                IncomingReport(
                    decoded: try ReportDecoder().decode(json), rawGzip: Gzip.compress(json), provenance: Provenance(channel: .file, name: "\(i)")))
        }
        try store.commit(batch)
    }

    func date(_ text: String) -> Date { RFC3339Date.parse(text)!.date }

    func raw(_ filter: ReportFilter) throws -> SummaryCells {
        try store.pool.read { db in try ReportStore.rawSummaryCells(filter, db: db) }
    }

    func same(_ a: SummaryCells, _ b: SummaryCells) -> Bool {
        func sessions(_ c: SummaryCells) -> [String] { c.sessions.map { "\($0)" }.sorted() }
        func failures(_ c: SummaryCells) -> [String] { c.failures.map { "\($0)" }.sorted() }
        return a.reportsBySender == b.reportsBySender && sessions(a) == sessions(b) && failures(a) == failures(b)
            && a.earliestStart == b.earliestStart && a.latestEnd == b.latestEnd
    }

    @Test(
        arguments: [
            (nil, nil, nil, nil),
            ("2026-11-12T00:00:00Z", "2026-11-16T00:00:00Z", nil, nil),  // whole days only
            ("2026-11-12T06:00:00Z", "2026-11-16T12:00:00Z", nil, nil),  // partial days at both ends
            ("2026-11-12T12:00:00Z", "2026-11-12T12:00:01Z", nil, nil),  // inside one day
            ("2026-11-11T13:00:00Z", "2026-11-19T11:59:59Z", "example.com", nil),
            ("2026-11-11T00:00:00Z", "2026-11-30T00:00:00Z", nil, "microsoft corporation"),
            (nil, nil, "example.org", "Google Inc."),
        ] as [(String?, String?, String?, String?)])
    func rollupsAgreeWithTheRawRows(from: String?, to: String?, domain: String?, sender: String?) throws {
        let filter = ReportFilter(from: from.map(date), to: to.map(date), domain: domain, sender: sender)
        let viaRollups = try store.summaryCells(filter)
        let viaRows = try raw(filter)
        #expect(same(viaRollups, viaRows), "\(viaRollups) vs \(viaRows)")
    }

    @Test func theMidDayEdgeCountsReportsByTheirStartToTheSecond() throws {
        // 2026-11-12 has reports starting at 00:00 (i = 8, 10) and 12:00 (i = 9, 11).
        let cells = try store.summaryCells(ReportFilter(from: date("2026-11-12T12:00:00Z"), to: date("2026-11-13T00:00:00Z")))
        #expect(cells.reportsBySender.values.reduce(0, +) == 2)
    }

    @Test func pruneRebuildsTheRollups() throws {
        _ = try store.prune(olderThan: date("2026-11-15T00:00:00Z"), includeRejects: false, dryRun: false, vacuum: false)
        #expect(same(try store.summaryCells(ReportFilter()), try raw(ReportFilter())))
        #expect(try store.summaryCells(ReportFilter()).reportsBySender.values.reduce(0, +) == 20)
    }
}
