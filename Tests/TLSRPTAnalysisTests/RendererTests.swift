import Foundation
import TLSRPTCore
import TLSRPTStore
import Testing

@testable import TLSRPTAnalysis

/// The five formats on the seed story: golden files for text and markdown, JSON and CSV parsed back,
/// HTML checked for balanced tags, escaping and its charts.
struct RendererTests {
    static let goldenFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    func storyReport() throws -> PeriodReport {
        let store = try TestStore()
        defer { store.remove() }
        try store.ingest(StoryFixtures.story())
        return try PeriodReportBuilder.build(store: store.store, period: Day.storyWeek)
    }

    /// Compares with a golden file; `TLSRPT_UPDATE_GOLDEN=1` rewrites it instead (review the diff).
    func expectGolden(_ output: String, _ name: String) throws {
        let url = Self.goldenFolder.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["TLSRPT_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.goldenFolder, withIntermediateDirectories: true)
            try output.write(to: url, atomically: true, encoding: .utf8)
        }
        let golden = try String(contentsOf: url, encoding: .utf8)
        #expect(output == golden, "differs from \(name)")
    }

    @Test func textGolden() throws {
        let text = SummaryTextRenderer.render(try storyReport())
        try expectGolden(text, "story.txt")
        #expect(text.hasPrefix("example.com: 245 of 12,345 sessions failed (2.0%) — 1 problem needs action\n"))
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= 100 })
        #expect(!text.contains("\u{1B}"))
    }

    @Test func markdownGolden() throws {
        try expectGolden(SummaryMarkdownRenderer.render(try storyReport()), "story.md")
    }

    @Test func jsonKeepsTheStableKeysAndAddsDiagnoses() throws {
        let json = SummaryJSONRenderer.render(try storyReport())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["from"] as? String == "2026-11-22T00:00:00Z")
        #expect(object["to"] as? String == "2026-11-29T00:00:00Z")
        #expect(object["reports"] as? Int == 14)
        #expect(object["successful_sessions"] as? Int == 12_100)
        #expect(object["failed_sessions"] as? Int == 245)
        #expect(object["result_types"] as? [String: Int] == ["certificate-host-mismatch": 245])
        let senders = try #require(object["senders"] as? [[String: Any]])
        #expect(senders.compactMap { $0["organization"] as? String } == ["Google Inc.", "Microsoft Corporation"])
        #expect(senders.last?["failed_sessions"] as? Int == 245)
        #expect(senders.last?["successful_sessions"] as? Int == 900)
        let domains = try #require(object["policy_domains"] as? [[String: Any]])
        #expect(domains.first?["domain"] as? String == "example.com")
        #expect(domains.first?["reports"] as? Int == 14)
        let hosts = try #require(object["mx_hosts"] as? [[String: Any]])
        #expect(hosts.first?["host"] as? String == "mail.hoster-cdn.net")
        let diagnoses = try #require(object["diagnoses"] as? [[String: Any]])
        #expect(diagnoses.count == 1)
        #expect(diagnoses.first?["rule"] as? String == "mx-not-in-policy")
        #expect(diagnoses.first?["hosts"] as? [String] == ["mail.hoster-cdn.net"])
        #expect(diagnoses.first?["first_seen"] as? String == "2026-11-22")
        #expect((diagnoses.first?["fixes"] as? [String])?.isEmpty == false)
        let trend = try #require(object["trend"] as? [String: Any])
        #expect(trend["previous_failed_sessions"] as? Int == 0)
        #expect(trend["new_result_types"] as? [String: Int] == ["certificate-host-mismatch": 245])
    }

    @Test func csvParsesBackWithOneRowPerCell() throws {
        let csv = SummaryCSVRenderer.render(try storyReport())
        let rows = CSVReader.parse(csv)
        #expect(rows.first == SummaryCSVRenderer.header)
        #expect(
            rows.dropFirst().map { $0 } == [
                ["2026-11-22T00:00:00Z", "2026-11-29T00:00:00Z", "example.com", "Google Inc.", "", "", "0", "11200", "0"],
                [
                    "2026-11-22T00:00:00Z", "2026-11-29T00:00:00Z", "example.com", "Microsoft Corporation", "certificate-host-mismatch",
                    "mail.hoster-cdn.net", "245", "900", "245",
                ],
            ])
    }

    @Test(arguments: ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)"])
    func csvGuardsAgainstFormulas(text: String) {
        let record = CSVField.record([text, "plain"])
        let fields = CSVReader.parse(record)[0]
        #expect(fields[0] == "'" + text)
        #expect(fields[1] == "plain")
    }

    @Test func htmlIsSelfContainedBalancedAndHasTheCharts() throws {
        let html = SummaryHTMLRenderer.render(try storyReport())
        #expect(HTMLTagChecker.problems(html).isEmpty, "\(HTMLTagChecker.problems(html))")
        #expect(!html.lowercased().contains("<script"))
        #expect(
            !html.contains("http://")
                || html.components(separatedBy: "http://").count == html.components(separatedBy: "http://www.w3.org/2000/svg").count)
        #expect(html.contains("<figure class=\"chart daily\">"))
        #expect(html.contains("<figure class=\"chart senders\">"))
        #expect(html.components(separatedBy: "<svg ").count - 1 == 2)
        #expect(html.contains("<polyline"))
        #expect(html.contains("mail.hoster-cdn.net"))
        #expect(html.contains("What to fix"))
    }

    @Test func htmlEscapesReportFields() throws {
        let store = try TestStore()
        defer { store.remove() }
        let hostile = "<script>alert(1)</script> & \"Co\""
        try store.ingest([
            ReportFixture(
                organization: hostile, reportID: "x1", day: "2026-11-23",
                policies: [.init(successful: 1, failed: 1, failures: [.init(resultType: "<b>odd</b>", host: "mx1.example.com", count: 1)])])
        ])
        let report = try PeriodReportBuilder.build(store: store.store, period: Day.storyWeek)
        let html = SummaryHTMLRenderer.render(report)
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;"))
        #expect(HTMLTagChecker.problems(html).isEmpty, "\(HTMLTagChecker.problems(html))")
        let markdown = SummaryMarkdownRenderer.render(report)
        #expect(!markdown.contains("<script>"))
    }

    @Test func explainKnowsRegisteredTypesAndListsThemOtherwise() throws {
        let text = try #require(ExplanationRenderer.render("Certificate_Expired"))
        #expect(text.hasPrefix("certificate-expired: Certificate expired\n"))
        #expect(text.contains("Likely causes:"))
        #expect(ExplanationRenderer.render("no-such-type") == nil)
        let message = ExplanationRenderer.unknownTypeMessage("no-such-type")
        for type in ResultType.registered { #expect(message.contains(type.name)) }
    }

    @Test func failureRowsRenderInEveryFormat() throws {
        let store = try TestStore()
        defer { store.remove() }
        try store.ingest(StoryFixtures.story())
        let rows = try store.store.failureRows(FailureRowFilter(report: ReportFilter(from: Day.date("2026-11-22"), to: Day.date("2026-11-29"))))
        let csv = CSVReader.parse(FailureRowsRenderer.render(rows, format: .csv))
        #expect(csv.first == FailureRowsRenderer.csvHeader)
        #expect(csv.count == 8)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(FailureRowsRenderer.render(rows, format: .json).utf8)) as? [[String: Any]])
        #expect(json.count == 7)
        #expect(json.first?["receiving_mx_hostname"] as? String == "mail.hoster-cdn.net")
        let text = FailureRowsRenderer.render(rows, format: .text)
        #expect(text.hasSuffix("7 rows, 245 failed sessions\n"))
    }

    @Test func wrappingKeepsLongWordsWhole() {
        let lines = TextWrap.wrap("see https://mta-sts.example.com/.well-known/mta-sts.txt now", width: 20, first: "- ", rest: "  ")
        #expect(lines == ["- see", "  https://mta-sts.example.com/.well-known/mta-sts.txt", "  now"])
    }
}
