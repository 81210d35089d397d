import Testing

@testable import TLSRPTMail
import TLSRPTCore

/// The ways a message fails to yield a TLS report, each with its own error code.
struct ReportMailReaderErrorTests {
    private static func dmarcMessage(_ part: String) -> [UInt8] {
        MailSamples.message(
            """
            From: noreply-dmarc-support@google.com
            Subject: Report domain: example.com Submitter: google.com Report-ID: 1234567890
            Content-Type: multipart/mixed; boundary=dm

            --dm
            Content-Type: text/plain

            This is an aggregate report.
            --dm
            \(part)
            --dm--
            """)
    }

    /// DMARC aggregate reports share the mailbox and the Subject shape; each form is named.
    @Test(arguments: [
        ("Content-Type: application/zip; name=\"google.com!example.com!1!2.zip\"\nContent-Transfer-Encoding: base64\n\nUEsDBBQAAAAIAA==", "zip"),
        (
            "Content-Type: application/gzip; name=\"google.com!example.com!1!2.xml.gz\"\nContent-Transfer-Encoding: base64\n\n\(MailSamples.reportGzipBase64)",
            "XML"
        ),
        ("Content-Type: application/gzip\nContent-Transfer-Encoding: base64\n\n\(MailSamples.dmarcGzipBase64)", "XML"),
        ("Content-Type: text/xml\n\n<?xml version=\"1.0\"?><feedback/>", "XML"),
        ("Content-Type: application/xml; name=report.xml\n\n<feedback/>", "XML"),
        ("Content-Type: application/octet-stream\n\n\u{FEFF}<?xml version=\"1.0\"?>\n<feedback/>", "XML"),
        ("Content-Type: application/octet-stream; name=\"report.xml\"\n\nnot sniffable", "XML"),
        ("Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\nUEsDBBQAAAAIAA==", "zip"),
    ])
    func dmarcReportIsNotTLSReport(part: String, format: String) throws {
        let error = #expect(throws: MailError.self) { try ReportMailReader.read(Self.dmarcMessage(part)) }
        #expect(error?.code == .notTLSReport)
        #expect(error?.message == "not a TLS report: looks like a DMARC aggregate report (\(format))")
    }

    /// A TLS report next to a DMARC report is still found.
    @Test func tlsReportBesideDMARCReport() throws {
        let bytes = MailSamples.message(
            """
            From: reports@example.org
            Content-Type: multipart/mixed; boundary=both

            --both
            Content-Type: application/zip
            Content-Transfer-Encoding: base64

            UEsDBBQAAAAIAA==
            --both
            Content-Type: application/tlsrpt+gzip
            Content-Transfer-Encoding: base64

            \(MailSamples.reportGzipBase64)
            --both--
            """)
        #expect(try ReportMailReader.read(bytes).attachments.map(\.kind) == [.gzip])
    }

    @Test func messageWithoutReport() {
        let bytes = MailSamples.message(
            """
            From: alice@example.com
            Subject: Lunch?
            Content-Type: multipart/mixed; boundary=x

            --x
            Content-Type: text/plain

            Lunch at noon?
            --x
            Content-Type: image/png
            Content-Transfer-Encoding: base64

            iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==
            --x--
            """)
        let error = #expect(throws: MailError.self) { try ReportMailReader.read(bytes) }
        #expect(error?.code == .noReportFound)
        #expect(error?.message.contains("\n") == false)
    }

    /// Bare report files and other non-messages are told apart before any parsing.
    @Test(arguments: [
        Array(MailSamples.reportJSON.utf8),
        [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00],
        [],
        Array("<?xml version=\"1.0\"?>".utf8),
        Array("\r\n\r\nFrom: late@example.org\r\n".utf8),
    ])
    func notAMessage(_ bytes: [UInt8]) {
        #expect(throws: MailError(.notAMessage, "")) { try ReportMailReader.read(bytes) }
    }

    /// A multipart that cannot be taken apart is reported as malformed, with the reason.
    @Test(arguments: [
        ("multipart/report; report-type=tlsrpt", "multipart/report has no boundary parameter, so its parts cannot be found"),
        ("multipart/report; boundary=\"missing\"", "multipart/report boundary \"missing\" never appears in its body"),
    ])
    func malformedMultipart(contentType: String, reason: String) {
        let bytes = MailSamples.message(
            """
            From: reports@example.org
            Content-Type: \(contentType)

            --other
            Content-Type: application/tlsrpt+gzip

            --other--
            """)
        let error = #expect(throws: MailError.self) { try ReportMailReader.read(bytes) }
        #expect(error?.code == .malformed)
        #expect(error?.message == "cannot find the report: \(reason)")
    }

    /// Errors compare by code only, so tests and callers need not match wording.
    @Test func errorsCompareByCode() {
        #expect(MailError(.tooDeep, "a") == MailError(.tooDeep, "b"))
        #expect(MailError(.tooDeep, "a") != MailError(.tooManyParts, "a"))
        #expect(MailError(.noReportFound, "nothing here").description == "nothing here")
    }
}
