import Foundation
import TLSRPTTestSupport
import Testing

/// The cron conventions, end to end through the built `tlsrpt` binary: `--quiet-if-clean` prints
/// nothing for a clean period, `--fail-above` exits 3, every format renders, `explain` exits 1 for an
/// unknown type.
struct SummaryCommandTests {
    func run(_ arguments: [String]) throws -> TLSRPTProcess.Output {
        try TLSRPTProcess.run(arguments)
    }

    /// Writes one day's report for example.com; `failed` sessions fail with certificate-host-mismatch.
    func writeReport(in folder: URL, organization: String, day: String, successful: Int, failed: Int) throws {
        var policy: [String: Any] = [
            "policy": [
                "policy-type": "sts", "policy-domain": "example.com",
                "policy-string": ["version: STSv1", "mode: enforce", "mx: mx1.example.com", "mx: mx2.example.com", "max_age: 604800"],
            ],
            "summary": ["total-successful-session-count": successful, "total-failure-session-count": failed],
        ]
        if failed > 0 {
            policy["failure-details"] = [
                ["result-type": "certificate-host-mismatch", "receiving-mx-hostname": "mail.hoster-cdn.net", "failed-session-count": failed]
            ]
        }
        let report: [String: Any] = [
            "organization-name": organization, "report-id": "\(organization)-\(day)",
            "date-range": ["start-datetime": "\(day)T00:00:00Z", "end-datetime": "\(day)T23:59:59Z"],
            "policies": [policy],
        ]
        let data = try JSONSerialization.data(withJSONObject: report)
        try data.write(to: folder.appendingPathComponent("\(organization)-\(day).json"))
    }

    func freshFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tlsrpt-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("reports"), withIntermediateDirectories: true)
        return folder
    }

    @Test func quietIfCleanPrintsNothingForACleanWeek() throws {
        let folder = try freshFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try writeReport(in: folder.appendingPathComponent("reports"), organization: "Google Inc.", day: "2026-11-23", successful: 100, failed: 0)
        let db = folder.appendingPathComponent("db.sqlite").path
        #expect(try run(["ingest", "--db", db, folder.appendingPathComponent("reports").path]).status == 0)
        let quiet = try run(["summary", "--db", db, "--from", "2026-11-22", "--to", "2026-11-29", "--quiet-if-clean"])
        #expect(quiet.status == 0)
        #expect(quiet.stdout.isEmpty)
        let loud = try run(["summary", "--db", db, "--from", "2026-11-22", "--to", "2026-11-29"])
        #expect(loud.stdout.hasPrefix("example.com: all 100 sessions succeeded\n"))
    }

    @Test func failAboveExitsThreeAndEveryFormatRenders() throws {
        let folder = try freshFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let reports = folder.appendingPathComponent("reports")
        try writeReport(in: reports, organization: "Google Inc.", day: "2026-11-23", successful: 950, failed: 0)
        try writeReport(in: reports, organization: "Microsoft Corporation", day: "2026-11-23", successful: 0, failed: 50)
        let db = folder.appendingPathComponent("db.sqlite").path
        #expect(try run(["ingest", "--db", db, reports.path]).status == 0)
        let period = ["--db", db, "--from", "2026-11-22", "--to", "2026-11-29"]
        // 50 of 1,000 sessions: 5.0%.
        let above = try run(["summary"] + period + ["--fail-above", "4.9", "--quiet-if-clean"])
        #expect(above.status == 3)
        #expect(above.stdout.hasPrefix("example.com: 50 of 1,000 sessions failed (5.0%) — 1 problem needs action\n"))
        #expect(try run(["summary"] + period + ["--fail-above", "5"]).status == 0)
        for format in ["text", "markdown", "json", "csv", "html"] {
            let output = try run(["summary"] + period + ["--format", format])
            #expect(output.status == 0, "\(format): \(output.stderr)")
            #expect(output.stdout.contains("mail.hoster-cdn.net"), "\(format)")
            // Only HTML reads the daily series (for its charts); the other formats skip that read.
            #expect(output.stdout.contains("<svg ") == (format == "html"), "\(format)")
        }
        let failures = try run(["failures"] + period + ["--mx", "MAIL.hoster-cdn.net.", "--format", "csv"])
        #expect(failures.stdout.split(separator: "\r\n").count == 2)
    }

    @Test func explainKnowsTheCatalogue() throws {
        let known = try run(["explain", "certificate-expired"])
        #expect(known.status == 0)
        #expect(known.stdout.hasPrefix("certificate-expired: Certificate expired"))
        let unknown = try run(["explain", "certificate-exploded"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("starttls-not-supported"))
        #expect(unknown.stdout.isEmpty)
    }
}
