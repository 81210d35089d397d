import Foundation
import TLSRPTCore
import TLSRPTStore
import Testing

@testable import TLSRPTAnalysis

/// One report naming thousands of MX hosts or result types once made an 81 MB cron mail with 50,000
/// findings. The formats for people show the most important ones and say how many more there are; JSON
/// keeps everything.
struct DisplayLimitTests {
    /// One report, one policy that lists every host (`*.flood.example`), `hosts` distinct MX hosts failing with
    /// an expired certificate: host i has i + 1 failed sessions, so the most failing hosts are the last ones.
    /// One finding per host.
    static func flood(hosts: Int, types: Int = 1) throws -> PeriodReport {
        let store = try TestStore()
        defer { store.remove() }
        var failures: [ReportFixture.Failure] = []
        for i in 0..<hosts {
            let type = types == 1 ? "certificate-expired" : "made-up-type-\(i % types)"
            failures.append(ReportFixture.Failure(resultType: type, host: "mx\(i).flood.example", count: Int64(i + 1)))
        }
        let failed = Int64(hosts * (hosts + 1) / 2)
        let fixture = ReportFixture(
            organization: "Flood Inc.", reportID: "flood", day: "2026-11-23",
            policies: [
                ReportFixture.PolicyEntry(
                    strings: ["version: STSv1", "mode: enforce", "mx: *.flood.example", "max_age: 604800"], successful: 10, failed: failed,
                    failures: failures)
            ])
        try store.ingest([fixture])
        return try PeriodReportBuilder.build(store: store.store, period: Day.storyWeek)
    }

    @Test func textShowsTheTopTenAndCountsTheRest() throws {
        let report = try Self.flood(hosts: 300)
        // Every host is its own finding; the digest shows ten of them.
        #expect(report.findings.count == 300)
        let text = SummaryTextRenderer.render(report)
        let numbered = text.split(separator: "\n").filter { $0.range(of: #"^\d+\. \["#, options: .regularExpression) != nil }
        #expect(numbered.count == 10)
        #expect(text.contains("… and 290 more problems: tlsrpt summary --format json, tlsrpt failures"))
        // The MX host table: the ten with the most failures (mx299 has 300), then the rest with their total.
        #expect(text.contains("mx299.flood.example"))
        #expect(!text.contains("mx0.flood.example "))
        let hidden = (1...290).reduce(Int64(0)) { $0 + Int64($1) }  // hosts 0..289 have 1..290 failures
        #expect(text.contains("… and 290 more MX hosts (\(NumberFormat.grouped(hidden)) failed sessions): tlsrpt failures"))
        #expect(text.utf8.count < 20_000, "\(text.utf8.count) bytes")
    }

    @Test func topZeroShowsEverything() throws {
        var report = try Self.flood(hosts: 30)
        report.display = DisplayLimit(top: 0)
        let text = SummaryTextRenderer.render(report)
        #expect(!text.contains("more problems"))
        for i in 0..<30 { #expect(text.contains("mx\(i).flood.example")) }
    }

    @Test func markdownAndHTMLAreCutTheSameWay() throws {
        let report = try Self.flood(hosts: 200, types: 40)
        let markdown = SummaryMarkdownRenderer.render(report)
        #expect(markdown.components(separatedBy: "\n### ").count - 1 == 10)
        #expect(markdown.contains("more MX hosts"))
        #expect(markdown.contains("… and 30 more result types"))
        let html = SummaryHTMLRenderer.render(report)
        #expect(html.components(separatedBy: "<div class=\"finding").count - 1 == 10)
        #expect(html.contains("… and 190 more MX hosts"))
        #expect(html.utf8.count < 100_000, "\(html.utf8.count) bytes")
    }

    @Test func jsonKeepsEverything() throws {
        let report = try Self.flood(hosts: 120)
        let json = SummaryJSONRenderer.render(report)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let diagnoses = try #require(object["diagnoses"] as? [Any])
        #expect(diagnoses.count == 120)
    }

    @Test func aLongListInOneLineIsCut() {
        #expect(DisplayLimit.joined(["a", "b", "c"], limit: 3) == "a, b, c")
        #expect(DisplayLimit.joined((1...12).map(String.init), limit: 3) == "1, 2, 3 and 9 more")
        #expect(DisplayLimit.total([CountSum.ceiling, 1, 2]) == CountSum.ceiling)
    }

    @Test func smallTablesKeepTheirOrderAndLargeOnesShowTheMostFailedFirst() {
        let groups = (0..<15).map { i in
            Summary.Group(key: "d\(String(format: "%02d", i)).example", reports: 1, successfulSessions: 100, failedSessions: Int64(i), resultTypes: [:])
        }
        let cut = DisplayLimit(top: 10).cut(groups)
        #expect(cut.shown.map(\.key) == (5..<15).reversed().map { "d\(String(format: "%02d", $0)).example" })
        #expect(cut.hidden == 5)
        #expect(DisplayLimit(top: 20).cut(groups).shown.map(\.key) == groups.map(\.key))
    }
}
