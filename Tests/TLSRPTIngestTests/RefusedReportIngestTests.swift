import Foundation
import TLSRPTCore
import TLSRPTExtract
import TLSRPTProcessing
import TLSRPTStore
import TLSRPTTestSupport
import Testing

@testable import TLSRPTIngest

/// A maildir message whose report the database refuses goes to `.Rejected` with one line, like any
/// rejected input, while the message beside it is stored and moved to `cur/`.
struct RefusedReportIngestTests {
    @Test func theRefusedMessageMovesToRejectedAndTheOtherIsStored() throws {
        let dir = TemporaryDirectory()
        let maildir = dir.file("Maildir")
        for sub in ["cur", "new", "tmp"] {
            try FileManager.default.createDirectory(atPath: "\(maildir)/\(sub)", withIntermediateDirectories: true)
        }
        let names = ["1700000000.M0P1.good", "1700000000.M1P1.refused"]
        for name in names { try dir.write("Maildir/new/\(name)", name) }
        let store = try ReportStore(path: dir.file("db.sqlite"))
        let ingester = Ingester(store: store)
        let loaded = names.map { name in
            ingester.load(InputItem(path: "\(maildir)/new/\(name)", kind: .maildirMessage(MaildirMessage(maildir: maildir, folder: "new", name: name))))
        }
        // The decoder never lets a negative count through; it stands for any report the database refuses.
        let fates = try names.enumerated().map { index, name in
            var decoded = try ReportDecoder().decode(HostileCounts.good(reportID: name))
            if index == 1 { decoded.report.policies[0].summary.failed = -1 }
            let report = IncomingReport(decoded: decoded, rawGzip: [], provenance: Ingester.provenance(of: loaded[index].item))
            return Ingester.Fate.processed(InputProcessor.Result(reports: [report]), hash: loaded[index].hash)
        }
        let prepared = ingester.assemble(loaded, fates: fates)
        let outcomes = try store.commit(prepared.batch)
        Ingester.settleInputs(prepared, outcomes: outcomes)
        let log = RejectionLog()
        let tally = ingester.finish(prepared, outcomes: outcomes, onRejection: log.add)

        #expect(tally.ingested == 1 && tally.rejected == 1)
        #expect(log.lines.count == 1)
        #expect(log.lines.first?.hasPrefix("\(maildir)/new/\(names[1]): the database refused the report") == true, "\(log.lines)")
        let fm = FileManager.default
        #expect(try fm.contentsOfDirectory(atPath: "\(maildir)/new").isEmpty)
        #expect(try fm.contentsOfDirectory(atPath: "\(maildir)/cur") == ["\(names[0]):2,S"])
        #expect(try fm.contentsOfDirectory(atPath: "\(maildir)/.Rejected/cur") == ["\(names[1]):2,"])
        let hashes = try loaded.map { try #require($0.hash) }
        #expect(try store.seenInputs(hashes) == [hashes[0]: .stored, hashes[1]: .rejected])
    }
}
