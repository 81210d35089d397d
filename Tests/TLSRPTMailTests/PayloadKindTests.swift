import Testing

@testable import TLSRPTMail

struct PayloadKindTests {
    @Test func sniffing() {
        #expect(PayloadKind(sniffing: [0x1F, 0x8B, 0x08]) == .gzip)
        #expect(PayloadKind(sniffing: Array(" \r\n\t{}".utf8)) == .json)
        #expect(PayloadKind(sniffing: [0xEF, 0xBB, 0xBF] + Array("\n{".utf8)) == .json)
        #expect(PayloadKind(sniffing: Array("[{}]".utf8)) == .unknown)
        #expect(PayloadKind(sniffing: [0x1F]) == .unknown)
        #expect(PayloadKind(sniffing: []) == .unknown)
        #expect(PayloadKind(sniffing: Array("   ".utf8)) == .unknown)
    }

    @Test func contentSignatures() {
        #expect(ContentSignature(Array("PK\u{3}\u{4}rest".utf8)) == .zip)
        #expect(ContentSignature(Array("\n<?XML version".utf8)) == .xml)
        #expect(ContentSignature(Array("<feedback>".utf8)) == .xml)
        #expect(ContentSignature(Array("<html>".utf8)) == .unknown)
        #expect(ContentSignature([0x1F, 0x8B]) == .gzip)
    }

    /// The gzip header's FNAME field, as `gzip report.xml` writes it.
    @Test func gzipOriginalFilename() {
        #expect(GzipHeader(Base64Decoder.decode(Array(MailSamples.dmarcGzipBase64.utf8)))?.originalFilename == "report.xml")
        #expect(GzipHeader(Base64Decoder.decode(Array(MailSamples.reportGzipBase64.utf8)))?.originalFilename == nil)
        #expect(GzipHeader(Array("not gzip at all".utf8)) == nil)
        // FEXTRA (4 bytes) before FNAME.
        let withExtra: [UInt8] = [0x1F, 0x8B, 8, 0x0C, 0, 0, 0, 0, 0, 3, 4, 0, 1, 2, 3, 4] + Array("a.xml".utf8) + [0]
        #expect(GzipHeader(withExtra)?.originalFilename == "a.xml")
    }
}
