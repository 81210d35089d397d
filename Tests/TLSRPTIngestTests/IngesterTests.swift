import Foundation
import TLSRPTExtract
import TLSRPTStore
import TLSRPTTestSupport
import Testing

@testable import TLSRPTIngest

struct IngesterTests {
    let dir = TemporaryDirectory()

    func store() throws -> ReportStore { try ReportStore(path: dir.file("db.sqlite")) }

    @Test func reingestingAFolderStoresNothingNewAndChangesNoNumber() throws {
        let reports = dir.url.appendingPathComponent("in").path
        for day in 1...9 {
            try dir.write(
                "in/sub/google.com!example.com!\(day)!\(day).json.gz",
                Gzip.compress(reportJSON(reportID: "\"r\(day)\"", start: "2026-11-1\(day)T00:00:00Z", end: "2026-11-1\(day)T23:59:59Z")))
        }
        try dir.write("in/broken.json", "{\"organization-name\": ")
        try dir.write("in/.hidden.json", "ignored: dot files inside folders are skipped")
        try dir.write("in/README.md", "ignored too: notes beside the reports")
        let store = try store()
        let log = RejectionLog()
        let first = try Ingester(store: store, batchSize: 4).ingest(paths: [reports], onRejection: log.add)
        #expect(first == IngestTally(ingested: 9, rejected: 1))
        #expect(log.lines.count == 1 && log.lines[0].hasPrefix("\(reports)/broken.json: invalid JSON"))
        let before = try store.summaryCells(ReportFilter())

        let second = try Ingester(store: store, batchSize: 4).ingest(paths: [reports]) { _, _ in }
        // broken.json among them: known as rejected before, not as a stored report.
        #expect(second == IngestTally(duplicates: 10, rejectedBefore: 1))
        let after = try store.summaryCells(ReportFilter())
        #expect(after.sessions == before.sessions)
        #expect(after.reportsBySender == ["Google Inc.": 9])
        #expect(try store.rejections().count == 1)
        // Nothing was removed from the plain folder.
        #expect(try FileManager.default.subpathsOfDirectory(atPath: reports).filter { $0.hasSuffix(".json") || $0.hasSuffix(".gz") }.count == 11)
    }

    /// A report budget smaller than one report makes every group decode only a prefix and carry the rest
    /// into the next batch: each of 150 reports (more than two groups of 64) must still be stored once.
    @Test func inputsLeftOverByTheReportBudgetAreStoredOnceInLaterBatches() throws {
        let reports = dir.url.appendingPathComponent("many").path
        for index in 0..<150 {
            try dir.write(
                "many/r\(index).json",
                reportJSON(reportID: "\"budget-\(index)\"", start: "2026-11-10T00:00:00Z", end: "2026-11-10T23:59:59Z"))
        }
        let store = try store()
        let ingester = Ingester(store: store, maxBatchBytes: 1, maxBatchReportBytes: 1)
        let tally = try ingester.ingest(paths: [reports]) { _, _ in }
        #expect(tally == IngestTally(ingested: 150))
        #expect(try store.summaryCells(ReportFilter()).reportsBySender == ["Google Inc.": 150])
        #expect(try ingester.ingest(paths: [reports]) { _, _ in } == IngestTally(duplicates: 150))
    }

    @Test func aMissingPathIsReportedAndCountedAsRejected() throws {
        let log = RejectionLog()
        let tally = try Ingester(store: try store()).ingest(paths: [dir.file("nope")], onRejection: log.add)
        #expect(tally == IngestTally(rejected: 1))
        #expect(log.lines == ["\(dir.file("nope")): no such file or directory"])
    }

    @Test func anOversizedInputIsRefusedWithoutReadingIt() throws {
        let path = try dir.write("big.json", [UInt8](repeating: 0x20, count: 2000))
        let log = RejectionLog()
        let tally = try Ingester(store: try store(), maxInputBytes: 1000).ingest(paths: [path], onRejection: log.add)
        #expect(tally == IngestTally(rejected: 1))
        #expect(log.lines.first?.contains("2000 bytes, more than the 1000-byte limit") == true)
    }

    @Test func standardInputRejectionsKeepTheBytesInTheDatabase() throws {
        let store = try store()
        let garbage = Array("not a report at all".utf8)
        let tally = try Ingester(store: store).ingest([InputItem(path: "-", kind: .bytes(garbage))]) { _, _ in }
        #expect(tally == IngestTally(rejected: 1))
        let row = try #require(try store.rejections().first)
        #expect(row.channel == "stdin")
        #expect(try store.rejectedInput(id: row.id) == garbage)
    }

    @Test func aPolicyWithoutDomainCountsUnderNoDomainAndKeepsTheFileNamesDomain() throws {
        let json = reportJSON(
            policies:
                #"[{"policy":{"policy-type":"no-policy-found"},"summary":{"total-successful-session-count":4,"total-failure-session-count":0}}]"#)
        let path = try dir.write("mail.example.org!Example.NET!1!2!001.json", json)
        let store = try store()
        _ = try Ingester(store: store).ingest(paths: [path]) { _, _ in }
        #expect(try store.summaryCells(ReportFilter()).sessions.first?.domain == nil)
        let detail = try #require(try store.report(id: 1))
        #expect(detail.notes.contains { $0.hasSuffix("the mail or file name says example.net") })
    }
}

struct InputEnumeratorTests {
    let dir = TemporaryDirectory()

    @Test func aSymbolicLinkBackUpTheTreeDoesNotLoop() throws {
        try dir.write("in/a/r.json", reportJSON())
        try FileManager.default.createSymbolicLink(atPath: dir.file("in/a/loop"), withDestinationPath: dir.file("in"))
        let found = InputEnumerator.items(for: [dir.file("in")]).items.map(\.path)
        #expect(found == [dir.file("in/a/r.json")])
    }
}
