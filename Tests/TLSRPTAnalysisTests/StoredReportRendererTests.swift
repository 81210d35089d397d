import Foundation
import TLSRPTCore
import Testing

@testable import TLSRPTAnalysis
@testable import TLSRPTStore

/// What `reports`, `show`, `rejects` and `check` print, from hand-made rows.
struct StoredReportRendererTests {
    static let day = Date(timeIntervalSince1970: 1_795_305_600)  // 2026-11-22T00:00:00Z

    func row(_ id: Int64, conflict: Bool = false, counts: Bool = true, organization: String = "Google Inc.") -> StoredReportRow {
        StoredReportRow(
            id: id, organization: organization, reportID: "r-\(id)", start: Self.day, end: Self.day.addingTimeInterval(86_399),
            channel: "file", sourceName: "a.json", successful: 1_200, failed: 34, domains: ["example.com", "example.org"],
            conflict: conflict, counts: counts)
    }

    @Test func listMarksWhichVersionOfAConflictCounts() {
        let rows = [row(1), row(2, conflict: true, counts: true), row(3, conflict: true, counts: false)]
        let all = StoredReportRenderer.list(rows)
        #expect(all.split(separator: "\n").count == 5)  // the header, its rule and three rows
        #expect(all.contains("2026-11-22"))
        #expect(all.contains("1,234"))  // 1,200 + 34 sessions
        #expect(all.contains("r-2 (conflict, counts)") && all.contains("r-3 (conflict, not counted)"))
        let conflicts = StoredReportRenderer.list(rows, conflictsOnly: true)
        #expect(conflicts.split(separator: "\n").count == 4)
        #expect(!conflicts.contains("r-1"))
    }

    @Test func listCannotBeForgedByASendersName() {
        let text = StoredReportRenderer.list([row(1, organization: "Evil\r\nID  Day\u{1B}[31m")])
        #expect(!text.contains("\r") && !text.contains("\u{1B}"))
        #expect(text.split(separator: "\n").count == 3)
    }

    @Test func detailShowsProvenanceNotesAndPrettyJSON() {
        var provenance = Provenance(channel: .maildir, name: "cur/1.eml")
        provenance.submitter = "mail.google.com"
        let detail = StoredReportDetail(
            row: row(7, conflict: true, counts: false), contactInfo: nil, provenance: provenance, receivedAt: Self.day,
            notes: ["policies[0]: a note\u{1B}]0;title\u{7}"], rawGzip: [])
        let text = StoredReportRenderer.detail(detail, json: Array(#"{"b":[1,2],"a":"x"}"#.utf8))
        #expect(text.hasPrefix("Report 7 (conflicts with another version of this report, which counts in summaries instead)"))
        #expect(text.contains("  Contact:       -"))
        #expect(text.contains("  Submitter:     mail.google.com"))
        #expect(text.contains("  Sessions:      1,200 successful, 34 failed"))
        #expect(!text.contains("\u{1B}") && !text.contains("\u{7}"))
        // Pretty-printed: one key per line.
        #expect(text.contains("\n  \"a\": \"x\""))
    }

    @Test func detailOfBytesThatAreNotJSONIsSanitised() {
        let detail = StoredReportDetail(
            row: row(8), contactInfo: "c", provenance: Provenance(channel: .https, name: "POST"), receivedAt: Self.day, notes: [],
            rawGzip: [])
        let text = StoredReportRenderer.detail(detail, json: Array("not json\u{1B}[2J".utf8))
        #expect(!text.contains("\u{1B}"))
    }

    @Test func rejectionsSayWhereEachInputIsAndHowToPrintIt() {
        #expect(StoredReportRenderer.rejections([]) == "No rejected inputs.")
        let rows = [
            RejectionRow(id: 4, channel: "https", sourceName: "POST /tlsrpt", reason: "bad\nline", keptAt: nil, receivedAt: Self.day, hasRawCopy: true),
            RejectionRow(id: 5, channel: "maildir", sourceName: "new/2", reason: "not JSON", keptAt: "/m/.Rejected/cur/2", receivedAt: Self.day, hasRawCopy: false),
        ]
        let lines = StoredReportRenderer.rejections(rows).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 6)  // three lines per input: the forged newline in a reason stays on its line
        #expect(lines[2] == "    kept at: - (tlsrpt rejects --raw 4)")
        #expect(lines[5] == "    kept at: /m/.Rejected/cur/2")
    }

    @Test func checkLine() {
        #expect(StoredReportRenderer.check(problems: [], reports: 3, policies: 4, failures: 5, rejections: 6) == "ok: 3 reports, 4 policies, 5 failure details, 6 rejections")
        #expect(StoredReportRenderer.check(problems: ["a", "b"], reports: 0, policies: 0, failures: 0, rejections: 0).hasPrefix("2 problem(s): "))
    }
}
