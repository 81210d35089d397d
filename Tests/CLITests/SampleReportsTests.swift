import Foundation
import TLSRPTTestSupport
import Testing

/// The sample week (SampleReports/README.md): the CNAME story end to end, against the totals worked out by
/// hand in SampleReports/EXPECTED.md.
struct SampleReportsTests {
    let dir = TemporaryDirectory()

    @Test func theSampleWeekTellsTheCNAMEStory() throws {
        // Ingesting a maildir moves its messages, so work on a copy.
        let samples = dir.file("SampleReports")
        try FileManager.default.copyItem(atPath: Fixtures.samples.path, toPath: samples)
        let db = dir.file("db.sqlite")
        let ingest = try TLSRPTProcess.run(["ingest", "--db", db, samples])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        #expect(ingest.stdout == "ingested 21, duplicates 1, rejected 0\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(samples)/maildir/new").isEmpty)

        let json = try TLSRPTProcess.run(["summary", "--db", db, "--all", "--format", "json"])
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(summary["reports"] as? Int == 21)
        #expect(summary["successful_sessions"] as? Int == 1251)
        #expect(summary["failed_sessions"] as? Int == 95)
        #expect(
            summary["result_types"] as? [String: Int]
                == ["certificate-host-mismatch": 101, "validation-failure": 7, "sts-policy-invalid": 6, "sts-policy-fetch-error": 3])
        let senders = try #require(summary["senders"] as? [[String: Any]])
        let microsoft = try #require(senders.first { $0["organization"] as? String == "Microsoft Corporation" })
        #expect(microsoft["reports"] as? Int == 7 && microsoft["successful_sessions"] as? Int == 283 && microsoft["failed_sessions"] as? Int == 93)
        let google = try #require(senders.first { $0["organization"] as? String == "Google Inc." })
        #expect(google["reports"] as? Int == 9 && google["failed_sessions"] as? Int == 0)

        // The text names the host, the cause and the fix.
        let text = try TLSRPTProcess.run(["summary", "--db", db, "--all"]).stdout
        #expect(text.contains("mail.hoster-cdn.net"))
        #expect(text.contains("CNAME"))
        #expect(text.contains("mx: mail.hoster-cdn.net"))
        #expect(text.contains("Microsoft Corporation"))
    }
}
