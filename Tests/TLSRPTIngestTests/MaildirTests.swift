import Foundation
import TLSRPTExtract
import TLSRPTStore
import TLSRPTTestSupport
import Testing

@testable import TLSRPTIngest

/// Maildir semantics with real files and real renames (docs/ARCHITECTURE.md): new/ -> cur/ with S after the commit,
/// cur/ read too, tmp/ never, rejected messages to .Rejected, nothing deleted.
struct MaildirTests {
    let dir = TemporaryDirectory()
    var maildir: String { dir.file("Maildir") }

    init() throws {
        for sub in ["cur", "new", "tmp"] {
            try FileManager.default.createDirectory(atPath: dir.file("Maildir/\(sub)"), withIntermediateDirectories: true)
        }
    }

    func message(_ id: Int, successful: Int = 10) -> [UInt8] {
        ReportMessage.make(
            attachment: Gzip.compress(
                reportJSON(
                    reportID: "\"r\(id)\"",
                    policies:
                        #"[{"policy":{"policy-type":"sts","policy-domain":"example.com"},"summary":{"total-successful-session-count":\#(successful),"total-failure-session-count":0}}]"#
                )))
    }

    func names(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "\(maildir)/\(folder)")) ?? []).sorted()
    }

    func ingest(_ store: ReportStore) throws -> IngestTally {
        try Ingester(store: store, batchSize: 2).ingest(paths: [maildir]) { _, _ in }
    }

    @Test func messagesMoveWhereTheirOutcomeSays() throws {
        try dir.write("Maildir/new/1700000000.M1P1.host", message(1))
        try dir.write("Maildir/new/1700000000.M2P1.host", message(2))
        try dir.write("Maildir/new/1700000000.M3P1.host", ReportMessage.dmarc())
        try dir.write("Maildir/cur/1699999999.M9P1.host:2,RF", message(9))
        try dir.write("Maildir/tmp/1700000001.M4P1.host", message(4))  // a delivery in progress
        let store = try ReportStore(path: dir.file("db.sqlite"))

        #expect(try ingest(store) == IngestTally(ingested: 3, rejected: 1))
        #expect(names("new").isEmpty)
        #expect(names("cur") == ["1699999999.M9P1.host:2,FRS", "1700000000.M1P1.host:2,S", "1700000000.M2P1.host:2,S"])
        #expect(names("tmp") == ["1700000001.M4P1.host"])
        #expect(names(".Rejected/cur") == ["1700000000.M3P1.host:2,"])
        #expect(names(".Rejected/new").isEmpty && names(".Rejected/tmp").isEmpty)
        let rejection = try #require(try store.rejections().first)
        #expect(rejection.keptAt == "\(maildir)/.Rejected/cur/1700000000.M3P1.host:2,")
        #expect(rejection.reason.contains("DMARC"))
        #expect(try store.summaryCells(ReportFilter()).sessions.first?.successful == 30)

        // A rerun stores nothing and moves nothing.
        #expect(try ingest(store) == IngestTally(duplicates: 3))
        #expect(names("cur").count == 3 && names("new").isEmpty && names(".Rejected/cur").count == 1)
    }

    @Test func messagesMovedToCurByAnEarlierBatchAreNotReadAgain() throws {
        // Batches of 2 commit and move while the walk goes on: cur/ must have been listed before that.
        for id in 0..<8 { try dir.write("Maildir/new/17000000\(id).M\(id).host", message(id)) }
        let store = try ReportStore(path: dir.file("db.sqlite"))
        #expect(try ingest(store) == IngestTally(ingested: 8))
        #expect(names("cur").count == 8 && names("new").isEmpty)
    }

    @Test func aCrashBetweenCommitAndRenameIsRepairedByTheRerun() throws {
        try dir.write("Maildir/new/1.M1.host", message(1))
        try dir.write("Maildir/new/2.M2.host", ReportMessage.dmarc())
        let store = try ReportStore(path: dir.file("db.sqlite"))
        _ = try ingest(store)
        // Put the files back as if the process had died right after the commit.
        try FileManager.default.moveItem(atPath: "\(maildir)/cur/1.M1.host:2,S", toPath: "\(maildir)/new/1.M1.host")
        try FileManager.default.moveItem(atPath: "\(maildir)/.Rejected/cur/2.M2.host:2,", toPath: "\(maildir)/new/2.M2.host")

        // The DMARC message was rejected before: a duplicate that is no stored report.
        #expect(try ingest(store) == IngestTally(duplicates: 2, rejectedBefore: 1))
        #expect(names("new").isEmpty)
        #expect(names("cur") == ["1.M1.host:2,S"])
        #expect(names(".Rejected/cur") == ["2.M2.host:2,"])
        #expect(try store.reports(ReportFilter()).count == 1)
        #expect(try store.rejections().count == 1)
    }

    @Test func aMessageMovedByAnotherProcessIsNotAnError() throws {
        try dir.write("Maildir/new/1.M1.host", message(1))
        let store = try ReportStore(path: dir.file("db.sqlite"))
        let items = InputEnumerator.items(for: [maildir]).items
        try FileManager.default.moveItem(atPath: "\(maildir)/new/1.M1.host", toPath: "\(maildir)/cur/1.M1.host:2,S")
        #expect(try Ingester(store: store).ingest(items) { _, _ in } == IngestTally())
    }

    @Test func maildirNamesKeepTheirUniquePartAndSortedFlags() {
        let message = MaildirMessage(maildir: "/m", folder: "cur", name: "123.abc.host:2,TR")
        #expect(message.unique == "123.abc.host")
        #expect(message.acceptedPath == "/m/cur/123.abc.host:2,RST")
        #expect(message.rejectedPath == "/m/.Rejected/cur/123.abc.host:2,TR")
        #expect(MaildirMessage(maildir: "/m", folder: "new", name: "9.x").acceptedPath == "/m/cur/9.x:2,S")
    }
}
