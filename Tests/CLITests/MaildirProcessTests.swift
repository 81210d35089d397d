import Foundation
import TLSRPTTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Real processes on a real maildir: killed with SIGKILL mid-ingest, and racing each other.
/// Afterwards every report must be stored exactly once and every message be on disk exactly once.
@Suite(.serialized)
struct MaildirProcessTests {
    static let messages = 2_000
    let dir = TemporaryDirectory()
    var maildir: String { dir.file("Maildir") }
    var db: String { dir.file("db.sqlite") }

    init() throws {
        for sub in ["cur", "new", "tmp"] {
            try FileManager.default.createDirectory(atPath: dir.file("Maildir/\(sub)"), withIntermediateDirectories: true)
        }
        for id in 0..<Self.messages {
            let json = reportJSON(
                reportID: "\"r\(id)\"",
                policies:
                    #"[{"policy":{"policy-type":"sts","policy-domain":"example.com"},"summary":{"total-successful-session-count":\#(id % 7 + 1),"total-failure-session-count":0}}]"#
            )
            try dir.write("Maildir/new/1700000000.M\(id)P1.host", ReportMessage.make(attachment: json, mediaType: "application/tlsrpt+json"))
        }
    }

    /// Sessions added up by hand over the generated messages: id % 7 + 1 for each id.
    var expectedSessions: Int { (0..<Self.messages).reduce(0) { $0 + $1 % 7 + 1 } }

    func names(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "\(maildir)/\(folder)")) ?? [])
    }

    func summary() throws -> [String: Any] {
        let output = try TLSRPTProcess.run(["summary", "--db", db, "--all", "--format", "json"])
        return try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
    }

    func checkEverythingOnceAndSettled() throws {
        let totals = try summary()
        #expect(totals["reports"] as? Int == Self.messages)
        #expect(totals["successful_sessions"] as? Int == expectedSessions)
        #expect(names("new").isEmpty)
        let cur = names("cur")
        #expect(cur.count == Self.messages)
        #expect(cur.allSatisfy { $0.hasSuffix(":2,S") })
        #expect(Set(cur.map { $0.replacingOccurrences(of: ":2,S", with: "") }).count == Self.messages)
        #expect(names(".Rejected/cur").isEmpty)
    }

    @Test func killedAtSeveralMomentsLosesNothingAndDoublesNothing() throws {
        for delay in [30_000, 120_000, 250_000, 400_000] as [useconds_t] {
            let process = try TLSRPTProcess.start(["ingest", "--db", db, maildir])
            usleep(delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            // Between kills, nothing is lost: every message is in new/ or cur/, once.
            #expect(names("new").count + names("cur").count == Self.messages)
        }
        let rerun = try TLSRPTProcess.run(["ingest", "--db", db, maildir])
        #expect(rerun.status == 0)
        try checkEverythingOnceAndSettled()
        // Another rerun finds nothing new.
        #expect(try TLSRPTProcess.run(["ingest", "--db", db, maildir]).stdout.hasPrefix("ingested 0,"))
    }

    @Test func twoProcessesOnOneMaildirStoreEachReportOnce() throws {
        let first = try TLSRPTProcess.start(["ingest", "--db", db, maildir])
        let second = try TLSRPTProcess.start(["ingest", "--db", db, maildir])
        first.waitUntilExit()
        second.waitUntilExit()
        #expect(first.terminationStatus == 0)
        #expect(second.terminationStatus == 0)
        try checkEverythingOnceAndSettled()
    }
}
