import Foundation
import TLSRPTTestSupport
import Testing

/// Issue #12, finding 4: one report of a few hundred kilobytes naming tens of thousands of MX hosts (or
/// result types) made a 42-second summary and an 81 MB cron mail that an MTA refuses. Through every
/// source, it is stored (past 1,000 distinct hosts or 100 result types per report, counted without their
/// host or as `other-result-types`), and every summary format for people stays short and says what it
/// left out.
@Suite(.serialized)
struct SummaryFloodTests {
    static let distinct = 3_000

    /// One policy whose failure details name `distinct` hosts (or result types), one failed session each.
    static func flood(hosts: Bool) -> [UInt8] {
        var details: [String] = []
        details.reserveCapacity(distinct)
        for i in 0..<distinct {
            let host = hosts ? "mx\(i).flood.example" : "mx.example.com"
            let type = hosts ? "certificate-expired" : "made-up-type-\(i)"
            details.append(#"{"result-type":"\#(type)","receiving-mx-hostname":"\#(host)","receiving-ip":"192.0.2.1","failed-session-count":1}"#)
        }
        let policies =
            #"[{"policy":{"policy-type":"sts","policy-domain":"example.com","policy-string":["version: STSv1","mode: enforce","mx: *.flood.example","mx: mx.example.com","max_age: 86400"]},"#
            + #""summary":{"total-successful-session-count":1000,"total-failure-session-count":\#(distinct)},"failure-details":[\#(details.joined(separator: ","))]}]"#
        return reportJSON(reportID: hosts ? #""flood-hosts""# : #""flood-types""#, policies: policies)
    }

    @Test(arguments: [true, false])
    func aFloodIsStoredFromEverySourceAndTheDigestStaysShort(hosts: Bool) throws {
        let dir = TemporaryDirectory("tlsrpt-flood")
        let bytes = Self.flood(hosts: hosts)
        let file = dir.file("flood.json")
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        let maildir = dir.file("Maildir")
        for sub in ["cur", "new", "tmp"] {
            try FileManager.default.createDirectory(atPath: "\(maildir)/\(sub)", withIntermediateDirectories: true)
        }
        try Data(ReportMessage.make(attachment: bytes, mediaType: "application/tlsrpt+json", filename: "flood.json"))
            .write(to: URL(fileURLWithPath: "\(maildir)/new/1700000000.M1P1.host"))

        let sources: [(String, [String], [UInt8]?)] = [("file", [file], nil), ("maildir", [maildir], nil), ("stdin", ["-"], bytes)]
        for (source, paths, input) in sources {
            let db = dir.file("\(source).sqlite")
            let ingest = try TLSRPTProcess.run(["ingest", "--db", db] + paths, input: input)
            #expect(ingest.status == 0, "\(source): \(ingest.stderr)")
            #expect(ingest.stdout == "ingested 1, duplicates 0, rejected 0\n", "\(source)")

            let text = try TLSRPTProcess.run(["summary", "--db", db, "--all"])
            #expect(text.status == 0, "\(source): \(text.stderr.prefix(500))")
            #expect(text.stdout.utf8.count < 50_000, "\(source): the text summary is \(text.stdout.utf8.count) bytes")
            // The verdict still counts everything, by hand: 1,000 + 3,000 sessions, 3,000 failed (75%).
            #expect(text.stdout.hasPrefix("example.com: 3,000 of 4,000 sessions failed (75.0%)"), "\(text.stdout.prefix(200))")
            if hosts {
                // mx0..mx999 kept (one failure each), 2,000 failures without a host: that row first, then nine
                // hosts, and 991 hosts with 991 failures left out.
                #expect(text.stdout.contains("more problems: tlsrpt summary --format json, tlsrpt failures"))
                #expect(text.stdout.contains("… and 991 more MX hosts (991 failed sessions): tlsrpt failures"))
            } else {
                // 100 types kept (one failure each), 2,900 as other-result-types: that row first, then nine.
                #expect(text.stdout.contains("… and 91 more result types (91 failed sessions): tlsrpt failures"))
            }
            for format in ["markdown", "html"] {
                let other = try TLSRPTProcess.run(["summary", "--db", db, "--all", "--format", format])
                #expect(other.status == 0, "\(source) \(format): \(other.stderr.prefix(500))")
                #expect(other.stdout.utf8.count < 100_000, "\(source) \(format): \(other.stdout.utf8.count) bytes")
            }
            // JSON is for machines and keeps every result type and host the report was allowed to name.
            let json = try TLSRPTProcess.run(["summary", "--db", db, "--all", "--format", "json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let types = try #require(object["result_types"] as? [String: Int])
            if hosts {
                #expect(types == ["certificate-expired": 3_000])
                #expect((object["mx_hosts"] as? [Any])?.count == 1_001)
            } else {
                #expect(types.count == 101)
                #expect(types["other-result-types"] == 2_900)
            }
            let check = try TLSRPTProcess.run(["check", "--db", db])
            #expect(check.status == 0, "\(source): \(check.stdout) \(check.stderr)")
        }
    }
}
