import Foundation
import TLSRPTStore
import TLSRPTTestSupport
import Testing

/// The probe's statuses: one row per finding identity, the latest probe wins.
struct ProbeStatusTests {
    let dir = TemporaryDirectory()

    @Test func theLatestProbeOfAFindingReplacesTheEarlierOne() throws {
        let store = try ReportStore(path: dir.file("db.sqlite"))
        let first = Date(timeIntervalSince1970: 1_796_000_000.7)
        let second = first.addingTimeInterval(3600)
        func record(_ status: String, _ when: Date, domain: String = "example.com") -> ProbeStatusRecord {
            ProbeStatusRecord(
                rule: "mx-not-in-policy", domain: domain, hosts: ["mx2.example.com", "mail.hoster-cdn.net"], status: status, check: "policy-mx",
                detail: "d", probedAt: when)
        }
        try store.recordProbeStatuses([record("present", first), record("present", first, domain: "example.org")])
        try store.recordProbeStatuses([record("gone", second)])
        let all = try store.probeStatuses()
        #expect(all.count == 2)
        let mine = try store.probeStatuses(domain: "example.com")
        #expect(mine.count == 1)
        #expect(mine[0].status == "gone")
        #expect(mine[0].hosts == ["mail.hoster-cdn.net", "mx2.example.com"])
        // Whole seconds, as stored.
        #expect(mine[0].probedAt == Date(timeIntervalSince1970: 1_796_003_600))
    }
}
