import Foundation
import TLSRPTStore
import Testing

@testable import TLSRPTAnalysis

/// The acceptance test: for a week with one hidden fault, the plain-text summary names the host,
/// the cause and the fix; every format renders.
struct HiddenFaultTests {
    @Test(arguments: StoryFixtures.faults)
    func textSummaryNamesHostCauseAndFix(fault: StoryFixtures.Fault) throws {
        let store = try TestStore()
        defer { store.remove() }
        try store.ingest(fault.reports())
        let report = try PeriodReportBuilder.build(store: store.store, period: Day.storyWeek)
        let text = SummaryTextRenderer.render(report)
        // Wrapping may break a phrase across lines: compare with white space collapsed.
        let flat = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        for phrase in fault.expected {
            #expect(flat.contains(phrase), "\(fault.name): missing \"\(phrase)\" in\n\(text)")
        }
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= 100 }, "\(fault.name): a line is over 100 columns")
        #expect(report.actionCount >= 1)
        for format in SummaryFormat.allCases {
            #expect(!format.render(report).isEmpty)
        }
    }

    @Test func aCleanWeekHasNoFindings() throws {
        let store = try TestStore()
        defer { store.remove() }
        try store.ingest(ReportFixture.week(from: "2026-11-22").enumerated().map { StoryFixtures.googleClean(day: $1, index: $0, successful: 100) })
        let report = try PeriodReportBuilder.build(store: store.store, period: Day.storyWeek)
        #expect(report.summary.isClean)
        #expect(report.findings.isEmpty)
        #expect(report.verdict == "example.com: all 700 sessions succeeded")
    }

    @Test func anEmptyPeriodSaysSo() throws {
        let store = try TestStore()
        defer { store.remove() }
        let report = try PeriodReportBuilder.build(store: store.store, period: Day.storyWeek)
        #expect(report.verdict == "No reports in this period")
        #expect(report.summary.isClean)
        #expect(SummaryTextRenderer.render(report) == "No reports in this period\nPeriod 2026-11-22 to 2026-11-28, 0 reports from 0 senders.\n")
    }
}
