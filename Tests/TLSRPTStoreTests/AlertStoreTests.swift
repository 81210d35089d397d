import Foundation
import TLSRPTCore
import TLSRPTExtract
import TLSRPTTestSupport
import Testing

@testable import TLSRPTStore

/// The store's side of alerting (issue #16): a filter on a set of domains, and the alert record.
struct AlertStoreTests {
    let dir = TemporaryDirectory()
    let store: ReportStore

    init() throws {
        store = try ReportStore(path: dir.file("db.sqlite"))
    }

    func report(_ domain: String, day: Int, successful: Int) throws -> IncomingReport {
        let json = reportJSON(
            reportID: "\"\(domain)-\(day)\"", start: "2026-11-\(day)T00:00:00Z", end: "2026-11-\(day)T23:59:59Z",
            policies:
                #"[{"policy":{"policy-type":"sts","policy-domain":"\#(domain)"},"summary":{"total-successful-session-count":\#(successful),"total-failure-session-count":0}}]"#
        )
        return IncomingReport(
            decoded: try ReportDecoder().decode(json), rawGzip: Gzip.compress(json), provenance: Provenance(channel: .file, name: "r"))
    }

    /// Whole days (from the rollups) and an edge day (from the raw rows) both select exactly the listed domains.
    @Test func aSetOfDomainsSelectsThoseDomainsOnly() throws {
        var batch = StoreBatch()
        for (domain, successful) in [("a.example", 1), ("b.example", 10), ("c.example", 100)] {
            for day in 20...22 { batch.reports.append(try report(domain, day: day, successful: successful)) }
        }
        try store.commit(batch)
        let from = try #require(RFC3339Date.parse("2026-11-20T00:00:00Z")).date
        for to in ["2026-11-23T00:00:00Z", "2026-11-22T12:00:00Z"] {
            var filter = ReportFilter(from: from, to: try #require(RFC3339Date.parse(to)).date)
            filter.domains = ["a.example", "c.example"]
            let cells = try store.summaryCells(filter)
            #expect(Set(cells.sessions.map(\.domain)) == ["a.example", "c.example"])
            #expect(cells.sessions.map(\.successful).reduce(0, +) == 3 * 101)  // the 22nd starts before 12:00: three days in both
            filter.domains = []
            #expect(try store.summaryCells(filter).sessions.isEmpty)
        }
    }

    @Test func anAlertIsRecordedOnceAndItsDeliveriesUpdated() throws {
        let seen = try #require(RFC3339Date.parse("2026-11-22T23:59:59Z")).date
        let alert = NewAlertRow(
            kind: "new", rule: "r", hosts: ["mx.example"], domains: ["a.example"], severity: "critical", headline: "h", firstSeen: seen,
            lastSeen: seen, payload: "{}")
        let same: (NewAlertRow, NewAlertRow) -> Bool = { $0.rule == $1.rule && $0.hosts == $1.hosts }
        let raised = try store.raiseAlerts([alert, alert], channels: [("command", "true"), ("mail", "a@b")], window: 14 * 86_400, isCovered: same)
        // The second candidate is covered by the first, in the same transaction.
        #expect(raised.map(\.index) == [0])
        #expect(raised.first?.deliveries.map(\.channel) == ["command", "mail"])
        #expect(try store.raiseAlerts([alert], channels: [], window: 14 * 86_400, isCovered: same).isEmpty)
        // Fifteen days on, the earlier one no longer covers it.
        var later = alert
        later.lastSeen = seen.addingTimeInterval(15 * 86_400)
        #expect(try store.raiseAlerts([later], channels: [], window: 14 * 86_400, isCovered: same).count == 1)

        let delivery = try #require(raised.first?.deliveries.first)
        try store.recordDelivery(delivery, delivered: false, attempts: 3, error: "timed out")
        let listed = try store.alerts()
        #expect(listed.count == 2)
        let first = try #require(listed.last)
        #expect(first.alert == alert)
        #expect(first.deliveries.map(\.attempts) == [3, 0])
        #expect(first.deliveries.map(\.error) == ["timed out", nil])
        #expect(first.deliveries[0].finishedAt != nil && first.deliveries[1].finishedAt == nil)
    }
}
