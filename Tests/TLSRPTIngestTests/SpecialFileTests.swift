import Foundation
import TLSRPTStore
import TLSRPTTestSupport
import Testing

@testable import TLSRPTIngest

#if canImport(Glibc)
    import Glibc
#endif

/// Files that are not regular files, left in a folder by accident or malice, are refused without blocking.
struct SpecialFileTests {
    let dir = TemporaryDirectory()

    @Test(.timeLimit(.minutes(1))) func aNamedPipeIsRefusedInsteadOfWaitedOn() throws {
        try dir.write("in/report.json", reportJSON())
        #expect(mkfifo(dir.file("in/pipe.json"), 0o644) == 0)
        let store = try ReportStore(path: dir.file("db.sqlite"))
        let log = RejectionLog()
        let tally = try Ingester(store: store).ingest(paths: [dir.file("in")], onRejection: log.add)
        #expect(tally == IngestTally(ingested: 1, rejected: 1))
        #expect(log.lines == ["\(dir.file("in/pipe.json")): cannot read: not a regular file"])
    }
}

/// Symbolic links that lead back up the tree: each folder is walked once.
struct SymlinkLoopTests {
    let dir = TemporaryDirectory()

    @Test(.timeLimit(.minutes(1))) func linksToAParentAreWalkedOnce() throws {
        try dir.write("in/d/report.json", reportJSON())
        try FileManager.default.createSymbolicLink(atPath: dir.file("in/d/up"), withDestinationPath: "..")
        try FileManager.default.createSymbolicLink(atPath: dir.file("in/d/again"), withDestinationPath: "..")
        try FileManager.default.createSymbolicLink(atPath: dir.file("in/elsewhere"), withDestinationPath: dir.file("in/d"))
        let (items, missing) = InputEnumerator.items(for: [dir.file("in")])
        #expect(missing.isEmpty)
        #expect(items.map(\.path) == [dir.file("in/d/report.json")])
    }
}
