import Foundation
import TLSRPTTestSupport
import Testing

/// Thousands of generated quirky reports (Scripts/gen-corpus), checked against an independent
/// implementation of docs/ARCHITECTURE.md's counting rules (Scripts/expected-summary, Python).
@Suite(.enabled(if: ExternalTools.hasPython3, ExternalTools.python3Absent))
struct GeneratedCorpusTests {
    let dir = TemporaryDirectory()

    func python(_ script: String, _ arguments: [String]) throws -> (status: Int32, stdout: String) {
        let output = try ProcessRunner.run(command: "python3", [Fixtures.repositoryRoot.appendingPathComponent("Scripts/\(script)").path] + arguments)
        return (output.status, output.stdout)
    }

    func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// The stable keys, with the lists turned into maps keyed by organisation or domain.
    func comparable(_ summary: [String: Any]) -> NSDictionary {
        func keyed(_ list: Any?, by key: String) -> [String: NSDictionary] {
            var out: [String: NSDictionary] = [:]
            for entry in (list as? [[String: Any]]) ?? [] {
                let name = (entry[key] as? String) ?? "(null)"
                out[name] = NSDictionary(
                    dictionary: entry.filter { ["reports", "successful_sessions", "failed_sessions", "result_types"].contains($0.key) })
            }
            return out
        }
        return NSDictionary(dictionary: [
            "from": summary["from"] ?? NSNull(), "to": summary["to"] ?? NSNull(), "reports": summary["reports"] ?? NSNull(),
            "successful_sessions": summary["successful_sessions"] ?? NSNull(), "failed_sessions": summary["failed_sessions"] ?? NSNull(),
            "result_types": summary["result_types"] ?? NSNull(), "senders": keyed(summary["senders"], by: "organization"),
            "policy_domains": keyed(summary["policy_domains"], by: "domain"),
        ])
    }

    @Test(arguments: ["json.gz", "mixed", "maildir"])
    func ingestAgreesWithTheIndependentComputation(format: String) throws {
        let corpus = dir.file("corpus")
        let db = dir.file("db.sqlite")
        let generated = try python(
            "gen-corpus",
            [
                "--seed", "7", "--reports", "3000", "--domains", "25", "--out", corpus, "--format", format, "--broken", "12",
                "--duplicates", "40", "--conflicts", "5", "--end-date", "2026-11-29", "--quiet",
            ])
        try #require(generated.status == 0)
        // The oracle reads the corpus before ingest moves maildir messages (it reads cur/ and new/ alike).
        let expected = try python("expected-summary", ["--all", corpus])
        try #require(expected.status == 0)

        let first = try TLSRPTProcess.run(["ingest", "--db", db, "--json", corpus])
        #expect(first.status == 1)
        let tally = try object(first.stdout)
        #expect(tally["rejected"] as? Int == 12)
        #expect(first.stderr.split(separator: "\n").filter { $0.contains("BROKEN-") }.count == 12)

        let summary = try TLSRPTProcess.run(["summary", "--db", db, "--all", "--format", "json"])
        #expect(comparable(try object(summary.stdout)) == comparable(try object(expected.stdout)))

        let second = try TLSRPTProcess.run(["ingest", "--db", db, "--json", corpus])
        #expect(second.status == 0)
        let again = try object(second.stdout)
        #expect(again["ingested"] as? Int == 0 && again["rejected"] as? Int == 0)
        // The 12 broken inputs are known as rejected, not as stored reports: those still where the rerun reads
        // them (a rejected maildir message has moved to .Rejected, which is not read again).
        let movedAway = (FileManager.default.enumerator(atPath: corpus)?.allObjects as? [String] ?? []).filter { $0.contains(".Rejected/cur/") }
        #expect(again["rejected_before"] as? Int == 12 - movedAway.count, "\(movedAway.count) moved to .Rejected")
        let after = try TLSRPTProcess.run(["summary", "--db", db, "--all", "--format", "json"])
        #expect(after.stdout == summary.stdout)
    }
}
