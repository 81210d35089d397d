import Foundation
import TLSRPTCore
import TLSRPTStore
import Testing

@testable import TLSRPTAnalysis

/// `summary --per-domain`: each domain's digest, cut from one read of the period, is the summary `--domain`
/// gives for it, in every format; a shared host's fault is in each of its domains' digests, naming no other.
struct DomainDigestsTests {
    static let hosted = ["version: STSv1", "mode: enforce", "mx: *.hoster.example", "max_age: 604800"]

    /// The seed story (example.com) plus a provider's three customers: a.example and b.example on
    /// mx07.hoster.example, whose certificate expired on 2026-11-25 (Google 4 and Microsoft 6 failed sessions
    /// a day each from then), c.example clean on mx01, and a report naming a.example and c.example together.
    static func corpus() -> [ReportFixture] {
        var reports = StoryFixtures.story()
        for (i, day) in ReportFixture.week(from: "2026-11-22").enumerated() {
            for (sender, failed) in [(StoryFixtures.google, Int64(4)), (StoryFixtures.microsoft, Int64(6))] {
                for domain in ["a.example", "b.example"] {
                    let failing = i >= 3
                    reports.append(
                        ReportFixture(
                            organization: sender, reportID: "\(sender.prefix(1))-\(domain)-\(day)", day: day,
                            policies: [
                                .init(
                                    domain: domain, strings: hosted, successful: 90, failed: failing ? failed : 0,
                                    failures: failing ? [.init(resultType: "certificate-expired", host: "mx07.hoster.example", count: failed)] : [])
                            ]))
                }
            }
            reports.append(
                ReportFixture(
                    organization: StoryFixtures.google, reportID: "G-ac-\(day)", day: day,
                    policies: [
                        .init(domain: "c.example", strings: hosted, successful: 40, failed: 0),
                        .init(domain: "a.example", strings: hosted, successful: 7, failed: 0),
                    ]))
        }
        return reports
    }

    @Test(arguments: [Day.storyWeek, ReportPeriod.all])
    func eachDigestIsWhatTheDomainFilterGives(period: ReportPeriod) throws {
        let store = try TestStore()
        defer { store.remove() }
        try store.ingest(Self.corpus())
        let now = Day.date("2026-11-29").addingTimeInterval(7 * 3600)
        let digests = try DomainDigests.build(store: store.store, period: period, now: now)
        #expect(digests.map(\.domain) == ["a.example", "b.example", "c.example", "example.com"])
        for (domain, digest) in digests {
            let filtered = try PeriodReportBuilder.build(store: store.store, period: period, domain: domain, now: now)
            for format in SummaryFormat.allCases {
                #expect(format.render(digest) == format.render(filtered), "\(domain) \(format)")
            }
        }
    }

    @Test func aSharedFaultIsInEachOfItsDomainsDigestsNamingNoOther() throws {
        let store = try TestStore()
        defer { store.remove() }
        try store.ingest(Self.corpus())
        let digests = Dictionary(uniqueKeysWithValues: try DomainDigests.build(store: store.store, period: Day.storyWeek).map { ($0.domain, $0.report) })
        for (domain, other) in [("a.example", "b.example"), ("b.example", "a.example")] {
            let report = try #require(digests[domain])
            let finding = try #require(report.findings.first)
            #expect(report.findings.count == 1)
            #expect(finding.rule == "certificate-expired")
            #expect(finding.domains == [domain])
            // 4 days (2026-11-25 to 28) × (4 + 6) failed sessions, by hand.
            #expect(finding.failedSessions == 40)
            let text = SummaryTextRenderer.render(report)
            #expect(!text.contains(other) && !text.contains("example.com") && !text.contains("c.example"))
        }
        #expect(digests["c.example"]?.summary.isClean == true)
        // The whole period: one finding for the shared host, listing both customers.
        let whole = try PeriodReportBuilder.build(store: store.store, period: Day.storyWeek)
        let shared = try #require(whole.findings.first { $0.rule == "certificate-expired" })
        #expect(shared.domains == ["a.example", "b.example"])
        #expect(shared.failedSessions == 80)
    }
}
