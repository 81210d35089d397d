import Foundation
import TLSRPTCore
import TLSRPTStore
import Testing

@testable import TLSRPTAnalysis

/// The story that started the project, end to end: reports into a real SQLite file, then the summary.
/// Expected numbers are computed by hand in ``StoryFixtures/story()``.
struct SeedStoryTests {
    func storyReport() throws -> (PeriodReport, TestStore) {
        let store = try TestStore()
        try store.ingest(StoryFixtures.story())
        let report = try PeriodReportBuilder.build(store: store.store, period: Day.storyWeek)
        return (report, store)
    }

    @Test func numbersFollowTheCountingRules() throws {
        let (report, store) = try storyReport()
        defer { store.remove() }
        #expect(report.summary.reports == 14)
        #expect(report.summary.successfulSessions == 12_100)
        #expect(report.summary.failedSessions == 245)
        #expect(report.summary.resultTypes == ["certificate-host-mismatch": 245])
        #expect(report.verdict == "example.com: 245 of 12,345 sessions failed (2.0%) — 1 problem needs action")
    }

    @Test func theDiagnosisNamesHostCauseAndFix() throws {
        let (report, store) = try storyReport()
        defer { store.remove() }
        #expect(report.findings.count == 1)
        let finding = try #require(report.findings.first)
        #expect(finding.rule == "mx-not-in-policy")
        #expect(finding.hosts == ["mail.hoster-cdn.net"])
        #expect(finding.senders == [.init(organization: "Microsoft Corporation", failedSessions: 245)])
        #expect(finding.severity == .critical)
        #expect(RFC3339Date.day(finding.firstSeen) == "2026-11-22")
        #expect(RFC3339Date.day(finding.lastSeen) == "2026-11-28")
        #expect(
            finding.notes == [
                "Only Microsoft Corporation reports this; Google Inc. (11,200 successful sessions) reports no failure on mail.hoster-cdn.net."
            ])
    }

    @Test func trendAgainstThePreviousWeek() throws {
        let (report, store) = try storyReport()
        defer { store.remove() }
        let trend = try #require(report.trend)
        #expect(RFC3339Date.day(trend.previousFrom) == "2026-11-15")
        #expect(trend.previousReports == 7)
        #expect(trend.previousFailedSessions == 0)
        #expect(trend.previousTotalSessions == 11_200)
        #expect(trend.newResultTypes.map(\.name) == ["certificate-host-mismatch"])
        #expect(trend.newFailingSenders.map(\.organization) == ["Microsoft Corporation"])
    }

    @Test func dailyTotalsPerDomain() throws {
        let (report, store) = try storyReport()
        defer { store.remove() }
        #expect(report.daily.count == 7)
        #expect(report.daily.first?.successful == 1_728)
        #expect(report.daily.first?.failed == 35)
        #expect(report.daily.last?.successful == 1_732)
        #expect(report.daily.last?.failed == 35)
    }

    @Test func failuresDrillDown() throws {
        let store = try TestStore()
        defer { store.remove() }
        try store.ingest(StoryFixtures.story())
        let filter = ReportFilter(from: Day.date("2026-11-22"), to: Day.date("2026-11-29"))
        let all = try store.store.failureRows(FailureRowFilter(report: filter))
        #expect(all.count == 7)
        #expect(all.reduce(0) { $0 + $1.failed } == 245)
        #expect(RFC3339Date.day(all[0].reportStart) == "2026-11-28")
        let none = try store.store.failureRows(FailureRowFilter(report: filter, resultType: "certificate-expired"))
        #expect(none.isEmpty)
        let byHost = try store.store.failureRows(FailureRowFilter(report: filter, mxHost: "mail.hoster-cdn.net", limit: 2))
        #expect(byHost.count == 2)
    }
}
