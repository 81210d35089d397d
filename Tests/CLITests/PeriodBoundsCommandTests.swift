import Foundation
import TLSRPTTestSupport
import Testing

/// `--from`/`--to` with fractions of a second, end to end: bounds are whole seconds, as the stored report
/// starts are, so a report starting at 00:00:00Z is in a period from 00:00:00.5Z (the start it was sent with
/// and the bound agree to the second) and the period's header names its day.
struct PeriodBoundsCommandTests {
    @Test func fractionalBoundsAreWholeSeconds() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tlsrpt-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let report: [String: Any] = [
            "organization-name": "Google Inc.", "report-id": "g-2026-03-01",
            "date-range": ["start-datetime": "2026-03-01T00:00:00Z", "end-datetime": "2026-03-01T23:59:59Z"],
            "policies": [
                [
                    "policy": ["policy-type": "sts", "policy-domain": "example.com", "policy-string": ["version: STSv1", "mode: enforce", "mx: mx1.example.com", "max_age: 604800"]],
                    "summary": ["total-successful-session-count": 10, "total-failure-session-count": 0],
                ]
            ],
        ]
        try JSONSerialization.data(withJSONObject: report).write(to: folder.appendingPathComponent("r.json"))
        let db = folder.appendingPathComponent("db.sqlite").path
        #expect(try TLSRPTProcess.run(["ingest", "--db", db, folder.appendingPathComponent("r.json").path]).status == 0)
        let out = try TLSRPTProcess.run([
            "summary", "--db", db, "--from", "2026-03-01T00:00:00.5Z", "--to", "2026-03-02T00:00:00.5Z",
        ])
        #expect(out.status == 0)
        #expect(out.stdout.hasPrefix("example.com: all 10 sessions succeeded\nPeriod 2026-03-01 to 2026-03-01, 1 report from 1 sender.\n"))
    }
}
