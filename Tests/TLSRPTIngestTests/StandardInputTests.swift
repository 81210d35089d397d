import Foundation
import TLSRPTStore
import TLSRPTTestSupport
import Testing

@testable import TLSRPTIngest

#if canImport(Glibc)
    import Glibc
#endif

/// Standard input is the one source whose size is not known before reading: it is read with a cap, and an
/// input over the cap is drained (so the MTA can finish writing) and recorded as a rejection.
struct StandardInputTests {
    let dir = TemporaryDirectory()

    /// A descriptor reading `bytes`, through a file so that no writer thread is needed.
    func descriptor(for bytes: [UInt8]) throws -> Int32 {
        let path = try dir.write("stdin-\(UUID().uuidString)", bytes)
        return open(path, O_RDONLY)
    }

    @Test func readsWholeInputsUpToTheCap() throws {
        let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0) }
        let fd = try descriptor(for: bytes)
        defer { close(fd) }
        let input = StandardInputReader.read(fileDescriptor: fd, limit: 200_000)
        #expect(input.bytes == bytes)
        #expect(input.oversizedTotal == nil)
    }

    @Test func readsPastTheCapWithoutKeepingIt() throws {
        let fd = try descriptor(for: [UInt8](repeating: 0x41, count: 300_001))
        defer { close(fd) }
        let input = StandardInputReader.read(fileDescriptor: fd, limit: 100_000)
        #expect(input.bytes.count == 100_000)
        #expect(input.oversizedTotal == 300_001)
    }

    @Test func anOversizedInputIsRecordedWithItsBeginning() throws {
        let store = try ReportStore(path: dir.file("db.sqlite"))
        let fd = try descriptor(for: Array("From: a@example.com\r\n\r\n".utf8) + [UInt8](repeating: 0x41, count: 150_000))
        defer { close(fd) }
        let log = RejectionLog()
        let tally = try Ingester(store: store, maxInputBytes: 100_000).ingestStandardInput(fileDescriptor: fd, onRejection: log.add)
        #expect(tally == IngestTally(rejected: 1))
        #expect(log.lines == ["-: the input is 150023 bytes, more than the 100000-byte limit for one input"])
        let rejection = try #require(try store.rejections().first)
        #expect(rejection.channel == "stdin" && rejection.hasRawCopy)
        #expect(try store.rejectedInput(id: rejection.id)?.count == 64 << 10)
    }
}
