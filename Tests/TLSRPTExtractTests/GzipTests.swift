import Foundation
import TLSRPTTestSupport
import Testing

@testable import TLSRPTExtract

struct GzipTests {
    let text = Array(String(repeating: "{\"organization-name\":\"Google Inc.\"}\n", count: 100).utf8)

    func code(_ bytes: [UInt8], limit: Int = 1 << 20) -> GzipError.Code? {
        do {
            _ = try Gzip.decompress(bytes, limit: limit)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func roundTrips() throws {
        let packed = Gzip.compress(text)
        #expect(Gzip.hasMagic(packed))
        #expect(packed.count < text.count)
        #expect(try Gzip.decompress(packed, limit: 1 << 20) == text)
        #expect(try Gzip.decompress(Gzip.compress([]), limit: 10) == [])
    }

    @Test func decodesEveryMemberOfAConcatenatedStream() throws {
        let a = Array("{\"a\":".utf8)
        let b = Array("1}".utf8)
        #expect(try Gzip.decompress(Gzip.compress(a) + Gzip.compress(b), limit: 100) == a + b)
    }

    @Test func matchesTheSystemGzip() throws {
        // An independent encoder: the system's gzip binary.
        let dir = TemporaryDirectory()
        let path = try dir.write("r.json", text)
        #expect(try ProcessRunner.run(command: "gzip", ["-9", path]).status == 0)
        let packed = Array(try Data(contentsOf: URL(fileURLWithPath: path + ".gz")))
        #expect(try Gzip.decompress(packed, limit: 1 << 20) == text)
    }

    @Test func rejectsAFileCutAfterItsHeader() throws {
        // 12 bytes: a valid magic and header, and nothing else (a partly written file).
        #expect(code(Array(Gzip.compress(text).prefix(12))) == .truncated)
    }

    @Test(.enabled(if: Fixtures.hasSharedCorpus, Fixtures.sharedCorpusAbsent))
    func rejectsTheTruncatedCorpusFile() throws {
        // tls_reporting/truncated.gz: 12 bytes, a valid magic and nothing else.
        #expect(code(try Fixtures.corpusBytes("tls_reporting/truncated.gz")) == .truncated)
    }

    @Test func rejectsAStreamCutInHalf() {
        let packed = Gzip.compress(text)
        #expect(code(Array(packed.prefix(packed.count / 2))) == .truncated)
        #expect(code(Array(packed.dropLast(4))) == .truncated)  // trailer's length missing
    }

    @Test func rejectsACorruptTrailerAndGarbageAfterTheStream() throws {
        var packed = Gzip.compress(text)
        packed[packed.count - 6] ^= 0xFF  // inside the CRC-32
        #expect(code(packed) == .corrupt)
        #expect(code(Gzip.compress(text) + Array("trailing".utf8)) == .corrupt)
        #expect(try Gzip.decompress(Gzip.compress(text) + [0, 0, 0, 0], limit: 1 << 20) == text)
    }

    @Test func stopsABombAtTheCap() {
        // 64 MiB of zeros packs into about 64 KB.
        let bomb = Gzip.compress([UInt8](repeating: 0, count: 64 << 20), level: 9)
        #expect(bomb.count < 200_000)
        #expect(code(bomb, limit: 16 << 20) == .tooLarge)
        #expect(code(Gzip.compress(text), limit: text.count - 1) == .tooLarge)
        #expect(code(Gzip.compress(text), limit: text.count) == nil)
    }

    @Test func refusesDataWithoutTheMagic() {
        #expect(code(text) == .notGzip)
        #expect(code([]) == .notGzip)
    }
}
