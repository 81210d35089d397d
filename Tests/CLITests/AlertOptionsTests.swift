import Foundation
import TLSRPTTestSupport
import Testing

/// The alert options' checks and `tlsrpt alerts` with nothing raised, through the real binary.
struct AlertOptionsTests {
    let dir = TemporaryDirectory()

    @Test func badChannelsAreUsageErrors() throws {
        let db = dir.file("db.sqlite")
        let cases: [([String], String)] = [
            (["--alert-webhook", "ftp://example.com/hook"], "is not an http:// or https:// URL"),
            (["--alert-mail", "postmaster@example.com, other@example.net"], "is not one mail address"),
            (["--alert-mail=-oQ/tmp@x"], "is not one mail address"),
            (["--alert-timeout", "0"], "--alert-timeout"),
            (["--alert-window-days", "0"], "--alert-window-days"),
        ]
        for (options, message) in cases {
            let result = try TLSRPTProcess.run(["ingest", "--db", db] + options + ["-"], input: [])
            #expect(result.status == 2, "\(options)")
            #expect(result.stderr.contains(message), "\(options): \(result.stderr)")
        }
    }

    @Test func noAlertsYet() throws {
        let db = dir.file("db.sqlite")
        #expect(try TLSRPTProcess.run(["alerts", "--db", db]).stdout == "No alerts raised.\n")
        let json = try TLSRPTProcess.run(["alerts", "--db", db, "--format", "json"])
        #expect(json.status == 0)
        #expect(json.stdout == "[]\n")
    }

    @Test func withoutAChannelNothingIsChecked() throws {
        let db = dir.file("db.sqlite")
        let result = try TLSRPTProcess.run(["ingest", "--db", db, "-"], input: try Fixtures.sampleBytes("microsoft-2026-11-22-example.com.eml"))
        #expect(result.status == 0)
        #expect(try TLSRPTProcess.run(["alerts", "--db", db]).stdout == "No alerts raised.\n")
    }
}
