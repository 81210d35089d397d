import Foundation
import TLSRPTTestSupport
import Testing

/// Issue #13 end to end: `tlsrpt ingest` then `tlsrpt summary --all --format json` on hand-written reports
/// in the shapes real senders send, against totals worked out by hand; the oracle (Scripts/expected-summary)
/// must give the same.
struct CountingShapesCLITests {
    let dir = TemporaryDirectory()
    var db: String { dir.file("db.sqlite") }

    static func entry(_ type: String, _ domain: String, _ ok: Int, _ failed: Int, policy: String? = nil, details: String? = nil) -> String {
        let strings = policy.map { #","policy-string":["version: STSv1","mode: enforce","mx: \#($0)","max_age: 86400"]"# } ?? ""
        let failures = details.map { #","failure-details":[\#($0)]"# } ?? ""
        return
            #"{"policy":{"policy-type":"\#(type)","policy-domain":"\#(domain)"\#(strings)},"summary":{"total-successful-session-count":\#(ok),"total-failure-session-count":\#(failed)}\#(failures)}"#
    }

    static func report(_ organization: String, _ id: String, day: Int = 22, _ entries: [String]) -> [UInt8] {
        reportJSON(
            organization: "\"\(organization)\"", reportID: "\"\(id)\"", start: "2026-11-\(day)T00:00:00Z",
            end: "2026-11-\(day)T23:59:59Z", policies: "[\(entries.joined(separator: ","))]")
    }

    func summary(_ folder: String) throws -> [String: Any] {
        let ingest = try TLSRPTProcess.run(["ingest", "--db", db, folder])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let output = try TLSRPTProcess.run(["summary", "--db", db, "--all", "--format", "json"])
        #expect(output.status == 0, "\(output.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
    }

    func oracle(_ folder: String) throws -> [String: Any] {
        let output = try ProcessRunner.run(
            command: "python3", [Fixtures.repositoryRoot.appendingPathComponent("Scripts/expected-summary").path, "--all", folder])
        return try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
    }

    func sessions(_ json: [String: Any]) -> [Int?] {
        [json["reports"] as? Int, json["successful_sessions"] as? Int, json["failed_sessions"] as? Int]
    }

    @Test func everyShapeCountsAsDesignSays() throws {
        let failure = #"{"result-type":"certificate-host-mismatch","receiving-mx-host-name":"mx1.example.com","failed-session-count":2}"#
        // SocketLabs' split: 12/0 + 0/2 -> 12/2.
        try dir.write("in/socketlabs.json", Self.report("SocketLabs", "s1", [Self.entry("sts", "example.com", 12, 0), Self.entry("sts", "example.com", 0, 2, details: failure)]))
        // A policy changed during the day: 30/0 + 10/3 -> 40/3.
        try dir.write(
            "in/google.json",
            Self.report("Google Inc.", "g1", [Self.entry("sts", "example.com", 30, 0, policy: "a.example.com"), Self.entry("sts", "example.com", 10, 3, policy: "b.example.com")]))
        // Microsoft: sts 19/1 and tlsa 19/1, the same sessions -> 19/1.
        try dir.write("in/microsoft.json", Self.report("Microsoft Corporation", "m1", [Self.entry("sts", "example.com", 19, 1), Self.entry("tlsa", "example.com", 19, 1)]))
        // Yahoo's resend: 12/0 and 28/2 (30) -> only 28/2 counts.
        try dir.write("in/yahoo-a.json", Self.report("Yahoo", "y1", [Self.entry("sts", "example.com", 12, 0)]))
        try dir.write("in/yahoo-b.json", Self.report("Yahoo", "y1", [Self.entry("sts", "example.com", 28, 2)]))
        // A report-id reused the next day: another report, 5/1.
        try dir.write("in/yahoo-c.json", Self.report("Yahoo", "y1", day: 23, [Self.entry("sts", "example.com", 5, 1)]))
        // 12+40+19+28+5 = 104 successful, 2+3+1+2+1 = 9 failed, from 5 reports (6 files, one a version that does not count).
        let folder = dir.file("in")
        let tool = try summary(folder)
        #expect(sessions(tool) == [5, 104, 9])
        // The independent oracle agrees, where python3 is there to run it.
        if ExternalTools.hasPython3 { #expect(sessions(try oracle(folder)) == [5, 104, 9]) }
        let types = try #require(tool["result_types"] as? [String: Int])
        #expect(types == ["certificate-host-mismatch": 2])
        // Either arrival order of the resend gives the same: here the 30-session version came second
        // (file order); `reports --conflicts` names the version that counts.
        let listing = try TLSRPTProcess.run(["reports", "--db", db, "--conflicts"])
        #expect(listing.stdout.contains("y1 (conflict, counts)") && listing.stdout.contains("y1 (conflict, not counted)"))
        #expect(listing.stdout.components(separatedBy: "(conflict").count == 3)
    }
}
