import Foundation
import TLSRPTTestSupport
import Testing

@testable import TLSRPTExtract
import TLSRPTMail

struct PayloadExtractorTests {
    let extractor = PayloadExtractor()
    let json = Array(#"{"organization-name":"o","report-id":"r"}"#.utf8)

    func failure(_ bytes: [UInt8], _ extractor: PayloadExtractor = PayloadExtractor()) -> ExtractionError? {
        do {
            _ = try extractor.extract(bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test func bareJSONWithABOMAndWhiteSpace() throws {
        let payloads = try extractor.extract([0xEF, 0xBB, 0xBF] + Array("\r\n ".utf8) + json)
        #expect(payloads.count == 1)
        #expect(payloads[0].gzip == nil)
    }

    @Test func gzipIsRecognisedByItsBytesAndKeptAsTheRawCopy() throws {
        let packed = Gzip.compress(json)
        let payload = try #require(try extractor.extract(packed).first)
        #expect(payload.json == json)
        #expect(payload.gzip == packed)
    }

    @Test func twoGzipLayersAreUnwrappedButNotThree() throws {
        let twice = Gzip.compress(Gzip.compress(json))
        #expect(try extractor.extract(twice).first?.json == json)
        #expect(try extractor.extract(twice).first?.gzip == nil)
        #expect(failure(Gzip.compress(twice))?.code == .tooLarge)
    }

    @Test func theDecompressedCapAppliesToPlainAndGzipInput() {
        let small = PayloadExtractor(limits: ExtractionLimits(maxDecompressedBytes: 10))
        #expect(failure(json, small)?.code == .tooLarge)
        #expect(failure(Gzip.compress(json), small)?.code == .tooLarge)
    }

    @Test func foreignFormatsAreNamed() throws {
        let xml = Array("<?xml version=\"1.0\"?><feedback></feedback>".utf8)
        #expect(failure(xml)?.code == .notTLSReport)
        #expect(failure(xml)?.message.contains("DMARC") == true)
        #expect(failure(Gzip.compress(xml))?.code == .notTLSReport)
        #expect(failure([0x50, 0x4B, 0x03, 0x04, 0, 0])?.code == .notTLSReport)
        #expect(failure([0xFF, 0xFE, 0x7B, 0x00])?.code == .notTLSReport)
    }

    @Test func emptyAndUnrecognisedInput() throws {
        #expect(failure([])?.code == .empty)
        #expect(failure(Array("hello world".utf8))?.code == .unrecognised)
        #expect(failure([0x1F, 0x8B, 0x08, 0x00, 0x42, 0x42])?.code == .badGzip)
        // A valid gzip header cut off after 12 bytes, as a partly written file is.
        #expect(failure(Array(Gzip.compress(Array("{}".utf8)).prefix(12)))?.code == .badGzip)
    }

    @Test func aReportMailYieldsItsAttachmentWithTheHeaders() throws {
        let payloads = try extractor.extract(try Fixtures.bytes("rfc8460-example.eml"))
        #expect(payloads.count == 1)
        let payload = payloads[0]
        #expect(payload.json.first == UInt8(ascii: "{"))
        #expect(payload.gzip != nil)
        #expect(payload.mail?.tlsReportDomain == "example.net")
        #expect(payload.mail?.tlsReportSubmitter == "mail.sender.example.com")
        #expect(payload.attachmentName == "mail.sender.example!example.com!1013662812!1013749130.json.gz")
    }
}
