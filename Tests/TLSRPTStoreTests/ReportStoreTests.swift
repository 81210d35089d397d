import Foundation
import TLSRPTCore
import TLSRPTExtract
import TLSRPTTestSupport
import Testing

@testable import TLSRPTStore
import GRDB

/// Every test gets a fresh SQLite file in its own temporary folder.
struct ReportStoreTests {
    let dir = TemporaryDirectory()
    let store: ReportStore

    init() throws {
        store = try ReportStore(path: dir.file("nested/folder/db.sqlite"))
    }

    func incoming(_ bytes: [UInt8], name: String = "r.json") throws -> IncomingReport {
        IncomingReport(
            decoded: try ReportDecoder().decode(bytes), rawGzip: Gzip.compress(bytes), provenance: Provenance(channel: .file, name: name))
    }

    @discardableResult
    func commit(_ reports: [IncomingReport]) throws -> [InsertOutcome] {
        var batch = StoreBatch()
        batch.reports = reports
        return try store.commit(batch)
    }

    @Test func createsTheDatabaseAndItsFolderOnFirstUse() {
        #expect(FileManager.default.fileExists(atPath: dir.file("nested/folder/db.sqlite")))
    }

    /// It keeps whole rejected mails: a new database is its owner's alone (the group's too only under a umask
    /// that lets the group write, as the systemd units set), never anyone else's.
    @Test func aNewDatabaseIsPrivateAndItsNewFoldersToo() throws {
        func mode(_ path: String) throws -> Int {
            try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        }
        // The test's own umask, read independently: 022 on a usual machine.
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let umaskLine = try #require(status.split(separator: "\n").first { $0.hasPrefix("Umask:") })
        let umask = try #require(Int(umaskLine.split(separator: "\t").last.map(String.init) ?? "", radix: 8))
        let (file, folder) = umask & 0o020 == 0 ? (0o660, 0o770) : (0o600, 0o700)
        #expect(try mode(dir.file("nested/folder/db.sqlite")) == file)
        #expect(try mode(dir.file("nested/folder/db.sqlite-wal")) == file)
        #expect(try mode(dir.file("nested/folder")) == folder)
        #expect(try mode(dir.file("nested")) == folder)
        // An existing folder keeps the mode its owner chose.
        try FileManager.default.createDirectory(atPath: dir.file("shared"), withIntermediateDirectories: true, attributes: [.posixPermissions: 0o751])
        _ = try ReportStore(path: dir.file("shared/db.sqlite"))
        #expect(try mode(dir.file("shared")) == 0o751)
        #expect(try mode(dir.file("shared/db.sqlite")) == file)
    }

    @Test func theSameReportTwiceIsStoredOnceEvenWhenReformatted() throws {
        let compact = reportJSON()
        let pretty = Array(String(decoding: compact, as: UTF8.self).replacingOccurrences(of: ",", with: ",\n    ").utf8)
        let outcomes = try commit([try incoming(compact), try incoming(pretty)])
        guard case .stored(let id, false) = outcomes[0] else { Issue.record("\(outcomes)"); return }
        #expect(outcomes[1] == .duplicate(id: id))
        #expect(try commit([try incoming(compact)]) == [.duplicate(id: id)])
        #expect(try store.reports(ReportFilter()).count == 1)
    }

    @Test func sameIdentityDifferentContentIsKeptAndFlagged() throws {
        let first = try commit([try incoming(reportJSON())])
        // The same organisation, report-id and date range, other content (a resend with other counts).
        let second = try commit([try incoming(reportJSON(contact: #""y@google.com""#))])
        guard case .stored(_, false) = first[0], case .stored(_, true) = second[0] else {
            Issue.record("\(first) \(second)")
            return
        }
        let rows = try store.reports(ReportFilter())
        #expect(rows.count == 2)
        #expect(rows.allSatisfy { $0.conflict })
    }

    @Test func theSameReportIDFromTwoOrganisationsIsTwoReports() throws {
        let google = try commit([try incoming(reportJSON(organization: #""Google Inc.""#))])
        let postfix = try commit([try incoming(reportJSON(organization: #""mail.example.org""#))])
        guard case .stored(_, false) = google[0], case .stored(_, false) = postfix[0] else {
            Issue.record("\(google) \(postfix)")
            return
        }
    }

    @Test func microsoftSTSAndTLSAForTheSameSessionsCountOnce() throws {
        // Tests/Fixtures/microsoft-sts-tlsa.json: sts 2/0 and tlsa 2/0 for example.net, the same two sessions.
        try commit([try incoming(try Fixtures.bytes("microsoft-sts-tlsa.json"))])
        let cells = try store.summaryCells(ReportFilter())
        // The report's date-range: 2026-05-23T00:00:00Z to 2026-05-23T23:59:59Z.
        #expect(
            cells.sessions == [
                .init(
                    sender: "Microsoft Corporation", domain: "example.net", reports: 1, successful: 2, failed: 0,
                    firstStart: 1_779_494_400, lastEnd: 1_779_580_799)
            ])
    }

    @Test func summaryCellsFilterByStartInAHalfOpenPeriodDomainAndSender() throws {
        for day in 20...24 {
            try commit([
                try incoming(
                    reportJSON(reportID: "\"g-\(day)\"", start: "2026-11-\(day)T00:00:00Z", end: "2026-11-\(day)T23:59:59Z"))
            ])
        }
        let from = try #require(RFC3339Date.parse("2026-11-21T00:00:00Z")).date
        let to = try #require(RFC3339Date.parse("2026-11-23T00:00:00Z")).date
        let cells = try store.summaryCells(ReportFilter(from: from, to: to))
        #expect(cells.reportsBySender == ["Google Inc.": 2])  // the 21st and 22nd; the 23rd starts at `to`
        #expect(cells.sessions.first?.successful == 10)
        #expect(try store.summaryCells(ReportFilter(domain: "other.example")).reportsBySender.isEmpty)
        #expect(try store.summaryCells(ReportFilter(sender: "google inc.")).reportsBySender == ["Google Inc.": 5])
    }

    @Test func seenInputsAndRejectionsAreRecordedInTheSameTransaction() throws {
        var batch = StoreBatch()
        let hash = ContentHash.sha256(Array("broken".utf8))
        batch.rejections = [
            IncomingRejection(
                provenance: Provenance(channel: .stdin, name: "-"), reason: "the input is empty", keptAt: "db", raw: [1, 2, 3],
                inputHash: hash)
        ]
        batch.seenInputs = [(hash, .rejected)]
        try store.commit(batch)
        #expect(try store.seenInputs([hash, [0]]) == [hash: .rejected])
        let rows = try store.rejections()
        #expect(rows.count == 1)
        #expect(rows[0].reason == "the input is empty")
        #expect(rows[0].hasRawCopy)
        #expect(try store.rejectedInput(id: rows[0].id) == [1, 2, 3])
        // Recording the same input again updates the record instead of adding one.
        try store.commit(batch)
        #expect(try store.rejections().count == 1)
    }

    @Test func showReturnsTheRawJSONAndNotes() throws {
        let bytes = reportJSON(start: "2023-01-10T00:00:00", end: "2023-01-10T23:59:59")
        guard case .stored(let id, _) = try commit([try incoming(bytes)])[0] else { Issue.record("not stored"); return }
        let detail = try #require(try store.report(id: id))
        #expect(try Gzip.decompress(detail.rawGzip, limit: 1 << 20) == bytes)
        #expect(detail.notes.count == 2)
        #expect(detail.row.domains == ["example.com"])
        #expect(try store.report(id: id + 100) == nil)
    }

    @Test func aFileThatIsNotADatabaseGivesAClearError() throws {
        let path = try dir.write("not-a-db.sqlite", String(repeating: "garbage ", count: 1000))
        do {
            _ = try ReportStore(path: path)
            Issue.record("opened garbage")
        } catch {
            #expect(error.code == .incompatible)
            #expect(error.message.contains(path))
        }
    }
}

struct ReportStoreCheckTests {
    let dir = TemporaryDirectory()

    @Test func aHealthyDatabasePassesAndABrokenOneIsCaught() throws {
        let store = try ReportStore(path: dir.file("db.sqlite"))
        var batch = StoreBatch()
        let bytes = try Fixtures.bytes("microsoft-sts-tlsa.json")
        batch.reports = [
            IncomingReport(
                decoded: try ReportDecoder().decode(bytes), rawGzip: Gzip.compress(bytes), provenance: Provenance(channel: .file, name: "m"))
        ]
        try store.commit(batch)
        #expect(try store.check() == [])
        #expect(try store.counts() == (1, 2, 0, 0))

        // Break an invariant behind the store's back: both of Microsoft's policies now count.
        try store.write { db in try db.execute(sql: "UPDATE policy SET counted = 1") }
        #expect(try store.check() == ["1 report/domain pair(s) whose counted policies are not of exactly one policy type"])
    }
}
