import Testing

@testable import TLSRPTMail

struct MIMEHeadersTests {
    private func parse(_ text: String) throws -> (headers: MIMEHeaders, body: String) {
        let (headers, body) = try MIMEHeaders.parse(Array(text.utf8)[...], maxBytes: 1 << 20, allowMboxFromLine: true)
        return (headers, String(decoding: body, as: UTF8.self))
    }

    /// RFC 5322 §2.2.3: unfolding removes the line break and keeps the blank after it.
    @Test func unfolding() throws {
        let (headers, body) = try parse("Subject: Report Domain: a\r\n Report-ID:\r\n\t<1@b>\r\n\r\nbody")
        #expect(headers["subject"] == "Report Domain: a Report-ID:\t<1@b>")
        #expect(body == "body")
    }

    @Test func namesAreCaseInsensitiveAndFirstWins() throws {
        let (headers, _) = try parse("X-A: 1\nx-a: 2\nTLS-REPORT-DOMAIN: example.com\n\n")
        #expect(headers["X-A"] == "1")
        #expect(headers.fields(named: "x-A").map(\.value) == ["1", "2"])
        #expect(headers["tls-report-domain"] == "example.com")
        #expect(headers.fields.map(\.name) == ["X-A", "x-a", "TLS-REPORT-DOMAIN"])
    }

    @Test func emptyValuesAndObsoleteSpaceBeforeColon() throws {
        let (headers, _) = try parse("Empty:\nSpaced : value\n\n")
        #expect(headers["empty"] == "")
        #expect(headers["spaced"] == "value")
    }

    /// A line that is neither a field nor a continuation starts the body.
    @Test func bodyWithoutBlankLine() throws {
        let (headers, body) = try parse("Content-Type: text/plain\nH4sIAAAA\nmore\n")
        #expect(headers.fields.count == 1)
        #expect(body == "H4sIAAAA\nmore\n")
    }

    @Test func noHeadersAtAll() throws {
        let (headers, body) = try parse("\r\nbody only")
        #expect(headers.fields.isEmpty)
        #expect(body == "body only")
    }

    @Test func headersWithoutBody() throws {
        let (headers, body) = try parse("A: 1\r\nB: 2")
        #expect(headers["b"] == "2")
        #expect(body.isEmpty)
    }

    @Test func mboxFromLineIsSkipped() throws {
        let (headers, _) = try parse("From MAILER-DAEMON Fri Jul  8 12:08:34 2011\nFrom: a@example.org\n\n")
        #expect(headers["from"] == "a@example.org")
        #expect(headers.fields.count == 1)
    }

    @Test func decodedValue() throws {
        let (headers, _) = try parse("Subject: =?utf-8?Q?Rapport_=C3=A9t=C3=A9?=\n\n")
        #expect(headers.decodedValue("Subject") == "Rapport été")
        #expect(headers["Subject"] == "=?utf-8?Q?Rapport_=C3=A9t=C3=A9?=")
    }

    @Test func sizeLimitCountsTheWholeSection() {
        let text = "A: 12345\r\nB: 12345\r\n\r\n"
        #expect(throws: MailError(.headerTooLarge, "")) {
            try MIMEHeaders.parse(Array(text.utf8)[...], maxBytes: 15)
        }
        #expect(throws: Never.self) { try MIMEHeaders.parse(Array(text.utf8)[...], maxBytes: text.utf8.count) }
    }
}
