import Foundation
import TLSRPTTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 8's fault test: two `ingest` processes and a `watch` on the same maildir at once. Every report
/// must be stored once, every message be on disk once (in cur/ with the Seen flag), and the watch must
/// stop cleanly on SIGTERM; `tlsrpt check` finds nothing wrong.
struct WatchRaceTests {
    static let messages = 1_500
    let dir = TemporaryDirectory()

    @Test func twoIngestsAndAWatchOnOneMaildir() throws {
        let maildir = dir.file("Maildir")
        let db = dir.file("db.sqlite")
        for sub in ["cur", "new", "tmp"] {
            try FileManager.default.createDirectory(atPath: "\(maildir)/\(sub)", withIntermediateDirectories: true)
        }
        // Half the messages are there before anything starts; the other half are delivered (tmp/ -> new/)
        // while the three processes run.
        func deliver(_ id: Int, viaTmp: Bool) throws {
            let json = reportJSON(
                reportID: "\"race-\(id)\"",
                policies:
                    #"[{"policy":{"policy-type":"sts","policy-domain":"example.com"},"summary":{"total-successful-session-count":\#(id % 5 + 1),"total-failure-session-count":0}}]"#
            )
            let name = "1700000000.M\(id)P7.host"
            let bytes = ReportMessage.make(attachment: json, mediaType: "application/tlsrpt+json")
            if viaTmp {
                try dir.write("Maildir/tmp/\(name)", bytes)
                try FileManager.default.moveItem(atPath: "\(maildir)/tmp/\(name)", toPath: "\(maildir)/new/\(name)")
            } else {
                try dir.write("Maildir/new/\(name)", bytes)
            }
        }
        for id in 0..<(Self.messages / 2) { try deliver(id, viaTmp: false) }

        let watch = try TLSRPTProcess.start(["watch", "--db", db, maildir])
        let first = try TLSRPTProcess.start(["ingest", "--db", db, maildir])
        let second = try TLSRPTProcess.start(["ingest", "--db", db, maildir])
        for id in (Self.messages / 2)..<Self.messages { try deliver(id, viaTmp: true) }
        first.waitUntilExit()
        second.waitUntilExit()
        #expect(first.terminationStatus == 0)
        #expect(second.terminationStatus == 0)

        // The watch picks up what the ingests did not; wait (bounded) for new/ to empty.
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, !((try? FileManager.default.contentsOfDirectory(atPath: "\(maildir)/new")) ?? []).isEmpty {
            usleep(100_000)
        }
        kill(watch.processIdentifier, SIGTERM)
        watch.waitUntilExit()
        #expect(watch.terminationStatus == 0)

        let cur = try FileManager.default.contentsOfDirectory(atPath: "\(maildir)/cur")
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(maildir)/new").isEmpty)
        #expect(cur.count == Self.messages)
        #expect(cur.allSatisfy { $0.hasSuffix(":2,S") })
        let summary = try TLSRPTProcess.run(["summary", "--db", db, "--all", "--format", "json"])
        let totals = try #require(try JSONSerialization.jsonObject(with: Data(summary.stdout.utf8)) as? [String: Any])
        #expect(totals["reports"] as? Int == Self.messages)
        // Sessions added up by hand: id % 5 + 1 over 1,500 ids = 300 × (1 + 2 + 3 + 4 + 5).
        #expect(totals["successful_sessions"] as? Int == 4_500)
        #expect(try TLSRPTProcess.run(["check", "--db", db]).status == 0)
    }
}
