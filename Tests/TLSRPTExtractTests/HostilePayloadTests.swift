import Foundation
import TLSRPTExtract
import TLSRPTTestSupport
import Testing

/// Payloads that are each within bounds but add up, or hide behind gzip: the caps hold per input.
struct HostilePayloadTests {
    /// A message with `parts` gzip attachments, each inflating to `size` bytes of a JSON array.
    func message(parts: Int, size: Int) -> [UInt8] {
        var json = Array("[".utf8) + [UInt8](repeating: UInt8(ascii: " "), count: size - 2) + Array("]".utf8)
        json[1] = UInt8(ascii: "0")
        let part = Data(Gzip.compress(json)).base64EncodedString(options: .lineLength76Characters)
        var text = "From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
        for index in 0..<parts {
            text += "--b\r\nContent-Type: application/tlsrpt+gzip; name=\"r\(index).json.gz\"\r\nContent-Transfer-Encoding: base64\r\n\r\n\(part)\r\n"
        }
        text += "--b--\r\n"
        return Array(text.utf8)
    }

    @Test func attachmentsAddUpAgainstTheDecompressedCap() throws {
        let extractor = PayloadExtractor(limits: ExtractionLimits(maxDecompressedBytes: 1 << 20))
        #expect(try extractor.extract(message(parts: 3, size: 300_000)).count == 3)
        #expect(throws: ExtractionError(.tooLarge, "")) { try extractor.extract(message(parts: 4, size: 300_000)) }
    }

    @Test func aBombStopsAtTheCapWithoutInflatingFurther() throws {
        let bomb = Gzip.compress([UInt8](repeating: 0, count: 50 << 20), level: 9)
        #expect(bomb.count < 100_000)
        let extractor = PayloadExtractor(limits: ExtractionLimits(maxDecompressedBytes: 1 << 20))
        #expect(throws: ExtractionError(.tooLarge, "")) { try extractor.extract(bomb) }
        #expect(throws: ExtractionError(.tooLarge, "")) { try extractor.extract(Gzip.compress(bomb)) }
    }

    @Test func randomBytesAfterTheMagicAreRejectedAsGzip() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let bytes: [UInt8] = [0x1F, 0x8B] + (0..<1000).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(throws: ExtractionError(.badGzip, "")) { try PayloadExtractor().extract(bytes) }
        }
    }
}
