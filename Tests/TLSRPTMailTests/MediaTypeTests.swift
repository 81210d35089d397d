import Testing

@testable import TLSRPTMail

struct MediaTypeTests {
    @Test func lowerCasesTypeAndSubtype() throws {
        let type = try #require(MediaType(parsing: "Application/TLSRPT+GZIP; Name=\"R.json.gz\""))
        #expect(type.essence == "application/tlsrpt+gzip")
        #expect(type.parameters["name"] == "R.json.gz")
    }

    @Test func boundaryAndKinds() throws {
        let multipart = try #require(MediaType(parsing: "multipart/report; boundary=\"----=_NextPart_000_024E_01CC9B0A.AFE54C00\""))
        #expect(multipart.isMultipart)
        #expect(multipart.boundary == "----=_NextPart_000_024E_01CC9B0A.AFE54C00")
        #expect(try #require(MediaType(parsing: "message/rfc822")).isEncapsulatedMessage)
        #expect(MediaType(parsing: "multipart/mixed; boundary=\"\"")?.boundary == nil)
    }

    @Test(arguments: ["", "text", "/plain", "text/", "text plain/x", ";charset=utf-8"])
    func unreadableTypes(_ value: String) {
        #expect(MediaType(parsing: value) == nil)
    }

    /// A part without a usable Content-Type is text/plain (RFC 2045 §5.2).
    @Test func unreadableTypeDefaultsToTextPlain() throws {
        let part = try MIMEPart(parsing: Array("Content-Type: garbage\r\n\r\nhello".utf8))
        #expect(part.mediaType == .textPlain)
    }

    @Test func contentDisposition() {
        let disposition = ContentDisposition(parsing: "ATTACHMENT; filename=\"report.json.gz\"; size=94")
        #expect(disposition.type == "attachment")
        #expect(disposition.filename == "report.json.gz")
        #expect(disposition.parameters["size"] == "94")
        #expect(ContentDisposition(parsing: "inline").filename == nil)
    }

    @Test(
        arguments: [
            (nil, ContentTransferEncoding.sevenBit), ("7bit", .sevenBit), (" 8BIT ", .eightBit), ("binary", .binary),
            ("Base64", .base64), ("QUOTED-PRINTABLE", .quotedPrintable), ("x-uuencode", .other("x-uuencode")),
        ] as [(String?, ContentTransferEncoding)])
    func transferEncodings(header: String?, expected: ContentTransferEncoding) {
        #expect(ContentTransferEncoding(headerValue: header) == expected)
    }
}
