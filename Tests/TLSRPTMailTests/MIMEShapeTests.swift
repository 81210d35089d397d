import Foundation
import Testing

@testable import TLSRPTMail

/// One test per message shape real senders produce, each a small message written here.
struct MIMEShapeTests {
    /// Google's shape: boundary first, `report-type=tlsrpt` unquoted, `name=` folded onto the
    /// next line, base64 at 76 columns, CRLF.
    @Test func googleMultipartReport() throws {
        let bytes = MailSamples.message(
            """
            Date: Wed, 13 May 2026 08:43:01 -0700
            TLS-Report-Domain: example.com
            TLS-Report-Submitter: google.com
            Message-ID: <6a049c05.00000000.3554e0.3524tls@google.com>
            Subject: Report Domain: example.com Submitter: google.com Report-ID: <2026.05.12T00.00.00Z+example.com@google.com>
            From: noreply-smtp-tls-reporting@google.com
            To: tls-report@example.com
            Content-Type: multipart/report; boundary="000000000000b06cc30651b4d5d9"; report-type=tlsrpt

            --000000000000b06cc30651b4d5d9
            Content-Type: text/plain; charset="UTF-8"; format=flowed; delsp=yes

            This is an aggregate TLS report from google.com

            --000000000000b06cc30651b4d5d9
            Content-Type: application/tlsrpt+gzip;\u{20}
            \tname="google.com!example.com!1778544000!1778630399!001.json.gz"
            Content-Disposition: attachment;\u{20}
            \tfilename="google.com!example.com!1778544000!1778630399!001.json.gz"
            Content-Transfer-Encoding: base64

            \(MailSamples.reportGzipBase64)
            --000000000000b06cc30651b4d5d9--
            """)
        let mail = try ReportMailReader.read(bytes)
        #expect(mail.provenance.tlsReportDomain == "example.com")
        #expect(mail.provenance.subjectReportID == "2026.05.12T00.00.00Z+example.com@google.com")
        try #require(mail.attachments.count == 1)
        let attachment = mail.attachments[0]
        #expect(attachment.mediaType == "application/tlsrpt+gzip")
        #expect(attachment.filename == "google.com!example.com!1778544000!1778630399!001.json.gz")
        #expect(attachment.kind == .gzip)
        #expect(attachment.bytes.count == MailSamples.reportGzipLength)

        let root = try MIMEPart(parsing: bytes)
        #expect(root.mediaType.essence == "multipart/report")
        #expect(root.mediaType.parameters["report-type"] == "tlsrpt")
        #expect(root.children.map(\.mediaType.essence) == ["text/plain", "application/tlsrpt+gzip"])
        #expect(root.children[0].decodedBody == Array("This is an aggregate TLS report from google.com\r\n".utf8))
    }

    /// Mail.ru's shape: `report-type="tlsrpt"` quoted and first, a boundary with `=`, `_` and
    /// `.`, no close delimiter (the message ends with a bare `--boundary` line).
    @Test func mailRuWithoutCloseDelimiter() throws {
        let bytes = MailSamples.message(
            """
            From: noreply-smtp-tls-reporting@corp.mail.ru
            Subject: Report Domain: example.com Submitter: mail.ru Report-ID: <7c1a7b1e-4a4c-4fd0-9b0e-d1c0ffee0001@mail.ru>
            TLS-Report-Domain: example.com
            TLS-Report-Submitter: mail.ru
            Content-Type: multipart/report; report-type="tlsrpt"; boundary="----=_NextPart_1708560000.5_x"

            ------=_NextPart_1708560000.5_x
            Content-Type: text/plain; charset=us-ascii
            Content-Transfer-Encoding: 7bit

            This is an aggregate TLS report from mail.ru
            ------=_NextPart_1708560000.5_x
            Content-Type: application/tlsrpt+gzip; name="mail.ru!example.com!1708560000!1708646400!001.json.gz"
            Content-Transfer-Encoding: base64

            \(MailSamples.reportGzipBase64)
            ------=_NextPart_1708560000.5_x

            """)
        let root = try MIMEPart(parsing: bytes)
        #expect(root.children.count == 2)
        let mail = try ReportMailReader.read(bytes)
        #expect(mail.provenance.subjectReportID == "7c1a7b1e-4a4c-4fd0-9b0e-d1c0ffee0001@mail.ru")
        try #require(mail.attachments.count == 1)
        #expect(mail.attachments[0].filename == "mail.ru!example.com!1708560000!1708646400!001.json.gz")
        #expect(mail.attachments[0].bytes.count == MailSamples.reportGzipLength)
    }

    /// Parameter names in any case, `report-type` after the boundary or before it.
    @Test(arguments: [
        #"multipart/report; report-type=tlsrpt; boundary=b1"#,
        #"multipart/report; boundary="b1"; report-type="tlsrpt""#,
        #"Multipart/Report; Report-Type=TLSRPT; BOUNDARY="b1""#,
    ])
    func contentTypeParameterVariants(_ contentType: String) throws {
        let bytes = MailSamples.message(
            """
            From: reports@example.org
            Content-Type: \(contentType)

            --b1
            Content-Type: application/tlsrpt+json

            \(MailSamples.reportJSON)
            --b1--
            """)
        let root = try MIMEPart(parsing: bytes)
        #expect(root.mediaType.essence == "multipart/report")
        #expect(root.mediaType.parameters["report-type"]?.lowercased() == "tlsrpt")
        let mail = try ReportMailReader.read(bytes)
        #expect(mail.attachments.map(\.bytes) == [Array(MailSamples.reportJSON.utf8)])
    }

    /// The same message with bare LF line ends (how maildirs store it) reads the same.
    @Test func bareLineFeeds() throws {
        let text = """
            From: reports@example.org
            TLS-Report-Domain: example.com
            Subject: Report Domain: example.com Submitter: example.org
             Report-ID: <1@example.org>
            Content-Type: multipart/report; report-type=tlsrpt; boundary="lf"

            --lf
            Content-Type: application/tlsrpt+gzip
            Content-Transfer-Encoding: base64

            \(MailSamples.reportGzipBase64)
            --lf--
            """
        for lineEnding in ["\n", "\r\n"] {
            let mail = try ReportMailReader.read(MailSamples.message(text, lineEnding: lineEnding))
            #expect(mail.provenance.subject == "Report Domain: example.com Submitter: example.org Report-ID: <1@example.org>")
            #expect(mail.provenance.subjectReportID == "1@example.org")
            #expect(mail.attachments.first?.bytes.count == MailSamples.reportGzipLength)
        }
    }

    /// Uncompressed JSON in each transfer encoding yields the same 83 bytes.
    @Test(arguments: [
        ("7bit", MailSamples.reportJSON),
        ("base64", MailSamples.reportJSONBase64),
        // Soft line breaks, `=3D` and lower-case hex (`=7b` is `{`).
        ("quoted-printable", "=7b\"organization-name\":\"Example Inc.\",=\n\"report-id\"=3A\"2026-05-01T00:00:00Z_example.com\"}"),
    ])
    func uncompressedJSONAttachment(encoding: String, body: String) throws {
        let bytes = MailSamples.message(
            """
            From: reports@example.org
            Content-Type: multipart/report; report-type=tlsrpt; boundary=XYZ

            --XYZ
            Content-Type: text/plain

            A report.
            --XYZ
            Content-Type: application/tlsrpt+json; name="example.org!example.com!1777593600!1777679999.json"
            Content-Transfer-Encoding: \(encoding)

            \(body)
            --XYZ--
            """)
        let mail = try ReportMailReader.read(bytes)
        try #require(mail.attachments.count == 1)
        #expect(mail.attachments[0].bytes == Array(MailSamples.reportJSON.utf8))
        #expect(mail.attachments[0].kind == .json)
        #expect(mail.attachments[0].mediaType == "application/tlsrpt+json")
        #expect(mail.attachments[0].filename == "example.org!example.com!1777593600!1777679999.json")
    }

    /// Base64 on one line, with trailing blanks, and without its padding decodes the same.
    @Test(arguments: [
        MailSamples.reportGzipBase64.replacingOccurrences(of: "\n", with: ""),
        MailSamples.reportGzipBase64.replacingOccurrences(of: "\n", with: "  \t\n") + "   ",
        String(MailSamples.reportGzipBase64.dropLast(2)),
        // Wrapped at 40 columns.
        stride(from: 0, to: 130, by: 40).map { start -> String in
            let flat = Array(MailSamples.reportGzipBase64.replacingOccurrences(of: "\n", with: ""))
            return String(flat[start..<min(start + 40, flat.count)])
        }.joined(separator: "\n"),
    ])
    func base64Layouts(_ body: String) throws {
        let bytes = MailSamples.message(
            """
            From: reports@example.org
            Content-Type: application/tlsrpt+gzip
            Content-Transfer-Encoding: base64

            \(body)
            """)
        let attachment = try #require(try ReportMailReader.read(bytes).attachments.first)
        #expect(attachment.bytes.count == MailSamples.reportGzipLength)
        #expect(attachment.bytes.starts(with: [0x1F, 0x8B, 0x08, 0x00]))
        // gzip trailer: ISIZE, the uncompressed length (83) little-endian.
        #expect(Array(attachment.bytes.suffix(4)) == [83, 0, 0, 0])
    }

    /// The report inside `multipart/mixed`, inside `multipart/alternative`.
    @Test func nestedMultiparts() throws {
        let bytes = MailSamples.message(
            """
            From: gateway@example.com
            Subject: [EXTERNAL] Report Domain: example.com Submitter: google.com Report-ID: <x@google.com>
            Content-Type: multipart/mixed; boundary="outer"

            --outer
            Content-Type: multipart/alternative; boundary="alt"

            --alt
            Content-Type: text/plain

            Scanned by the gateway.
            --alt
            Content-Type: text/html

            <p>Scanned by the gateway.</p>
            --alt--
            --outer
            Content-Type: multipart/report; report-type=tlsrpt; boundary="inner"

            --inner
            Content-Type: text/plain

            This is an aggregate TLS report.
            --inner
            Content-Type: application/tlsrpt+gzip
            Content-Transfer-Encoding: base64

            \(MailSamples.reportGzipBase64)
            --inner--
            --outer--
            """)
        let root = try MIMEPart(parsing: bytes)
        #expect(root.children.map(\.mediaType.essence) == ["multipart/alternative", "multipart/report"])
        #expect(root.children[0].children.count == 2)
        #expect(root.children[1].children.count == 2)
        let mail = try ReportMailReader.read(bytes)
        #expect(mail.attachments.map(\.bytes.count) == [MailSamples.reportGzipLength])
        #expect(mail.provenance.subjectReportID == "x@google.com")
    }

    /// A report forwarded as an attachment: the inner message is parsed, and the provenance
    /// comes from it, not from the forwarding message.
    @Test func forwardedReport() throws {
        let bytes = MailSamples.message(
            """
            From: Alice <alice@example.com>
            Subject: Fwd: TLS report
            Content-Type: multipart/mixed; boundary="fwd"

            --fwd
            Content-Type: text/plain

            See the attached report.
            --fwd
            Content-Type: message/rfc822

            From: noreply-smtp-tls-reporting@google.com
            TLS-Report-Domain: example.com
            TLS-Report-Submitter: google.com
            Subject: Report Domain: example.com Submitter: google.com Report-ID: <fwd@google.com>
            Content-Type: multipart/report; boundary="orig"; report-type=tlsrpt

            --orig
            Content-Type: application/tlsrpt+gzip
            Content-Transfer-Encoding: base64

            \(MailSamples.reportGzipBase64)
            --orig--
            --fwd--
            """)
        let mail = try ReportMailReader.read(bytes)
        #expect(mail.attachments.map(\.bytes.count) == [MailSamples.reportGzipLength])
        #expect(mail.provenance.from == "noreply-smtp-tls-reporting@google.com")
        #expect(mail.provenance.tlsReportDomain == "example.com")
        #expect(mail.provenance.subjectReportID == "fwd@google.com")
    }

    /// The whole message is the report, with no multipart around it (mox accepts this).
    @Test func topLevelReport() throws {
        let bytes = MailSamples.message(
            """
            From: reports@example.org
            TLS-Report-Domain: example.com
            MIME-Version: 1.0
            Content-Type: application/tlsrpt+gzip
            Content-Disposition: attachment; filename="example.org!example.com!1!2.json.gz"
            Content-Transfer-Encoding: base64

            \(MailSamples.reportGzipBase64)
            """)
        let mail = try ReportMailReader.read(bytes)
        try #require(mail.attachments.count == 1)
        #expect(mail.attachments[0].filename == "example.org!example.com!1!2.json.gz")
        #expect(mail.attachments[0].bytes.count == MailSamples.reportGzipLength)
        #expect(mail.provenance.tlsReportDomain == "example.com")
    }

    /// Preamble and epilogue are dropped, even when they hold lines that start with `--` and
    /// the boundary followed by more characters.
    @Test func preambleAndEpilogue() throws {
        let bytes = MailSamples.message(
            """
            From: reports@example.org
            Content-Type: multipart/report; report-type=tlsrpt; boundary="=_b.1"

            This is a multi-part message in MIME format.
            --=_b.1-not-a-delimiter
            --=_b.1
            Content-Type: application/tlsrpt+json

            {"a":1}
            --=_b.1-still-content
            --=_b.1--\t
            Epilogue text.
            --=_b.1
            Content-Type: application/tlsrpt+json

            {"epilogue":true}
            """)
        let root = try MIMEPart(parsing: bytes)
        #expect(root.children.count == 1)
        let mail = try ReportMailReader.read(bytes)
        #expect(mail.attachments.map(\.bytes) == [Array("{\"a\":1}\r\n--=_b.1-still-content".utf8)])
    }

    /// Where the file name comes from: `Content-Disposition`, `Content-Type`'s `name`,
    /// Microsoft's `Content-Description`, RFC 2231 continuations with a charset, RFC 2047.
    @Test(arguments: [
        ("Content-Disposition: attachment; filename=\"a!b!1!2.json.gz\"", "a!b!1!2.json.gz"),
        ("Content-Disposition: attachment; filename=a!b!1!2.json.gz", "a!b!1!2.json.gz"),
        ("Content-Description:\n microsoft.com!example.com!1!2!3.json.gz", "microsoft.com!example.com!1!2!3.json.gz"),
        ("Content-Disposition: attachment;\n filename*0*=utf-8''r%C3%A9sum%C3%A9!;\n filename*1=example.com.json.gz", "résumé!example.com.json.gz"),
        ("Content-Disposition: attachment; filename*=iso-8859-1'en'caf%E9.json.gz", "café.json.gz"),
        ("Content-Disposition: attachment; filename=\"=?utf-8?B?w6TDtsO8?=.json.gz\"", "äöü.json.gz"),
        ("Content-Disposition: attachment; filename=\"=?iso-8859-1?Q?caf=E9?= =?us-ascii?Q?.json.gz?=\"", "café.json.gz"),
    ])
    func filenameSources(header: String, expected: String) throws {
        let bytes = MailSamples.message(
            """
            From: reports@example.org
            Content-Type: multipart/mixed; boundary=f

            --f
            Content-Type: application/octet-stream
            \(header)
            Content-Transfer-Encoding: base64

            \(MailSamples.reportGzipBase64)
            --f--
            """)
        let attachment = try #require(try ReportMailReader.read(bytes).attachments.first)
        #expect(attachment.filename == expected)
        #expect(attachment.mediaType == "application/octet-stream")
    }

    @Test func filenameFromContentTypeName() throws {
        let bytes = MailSamples.message(
            """
            From: reports@example.org
            Content-Type: application/octet-stream; name="report.json"

            \(MailSamples.reportJSON)
            """)
        let attachment = try #require(try ReportMailReader.read(bytes).attachments.first)
        #expect(attachment.filename == "report.json")
        #expect(attachment.kind == .json)
    }

    /// Labels senders use instead of RFC 8460's, and a gzip label on uncompressed JSON:
    /// the label is reported as sent, the kind as sniffed.
    @Test(arguments: [
        ("application/gzip", "", MailSamples.reportGzipBase64, PayloadKind.gzip),
        ("application/x-gzip", "", MailSamples.reportGzipBase64, .gzip),
        ("application/json", "", MailSamples.reportJSONBase64, .json),
        ("text/json", "", MailSamples.reportJSONBase64, .json),
        ("application/octet-stream", "; name=\"r.json.gz\"", MailSamples.reportGzipBase64, .gzip),
        ("application/octet-stream", "; name=\"r.gz\"", MailSamples.reportGzipBase64, .gzip),
        ("application/octet-stream", "", MailSamples.reportGzipBase64, .gzip),  // sniffed
        ("application/octet-stream", "", MailSamples.reportJSONBase64, .json),  // sniffed
        ("application/tlsrpt+gzip", "", MailSamples.reportJSONBase64, .json),  // mislabelled
        ("application/tlsrpt+json", "", MailSamples.reportGzipBase64, .gzip),  // mislabelled
    ])
    func mislabelledReports(mediaType: String, parameters: String, body: String, kind: PayloadKind) throws {
        let bytes = MailSamples.message(
            """
            From: reports@example.org
            Content-Type: multipart/report; report-type=tlsrpt; boundary=m

            --m
            Content-Type: text/plain

            Report attached.
            --m
            Content-Type: \(mediaType)\(parameters)
            Content-Transfer-Encoding: base64

            \(body)
            --m--
            """)
        let attachment = try #require(try ReportMailReader.read(bytes).attachments.first)
        #expect(attachment.mediaType == mediaType)
        #expect(attachment.kind == kind)
        #expect(attachment.bytes.count == (kind == .gzip ? MailSamples.reportGzipLength : 83))
    }

    /// A message whose whole body is the JSON, as `text/plain` (or with no Content-Type).
    @Test(arguments: ["Content-Type: text/plain; charset=utf-8\n", ""])
    func plainTextMessageHoldingJSON(contentType: String) throws {
        let bytes = MailSamples.message("From: reports@example.org\n\(contentType)\n\u{FEFF}  \(MailSamples.reportJSON)\n")
        let attachment = try #require(try ReportMailReader.read(bytes).attachments.first)
        #expect(attachment.mediaType == "text/plain")
        #expect(attachment.kind == .json)
        #expect(attachment.bytes.count == 3 + 2 + 83 + 2)  // BOM, blanks, JSON, CRLF
    }

    /// JSON in a text part of a multipart is prose that happens to contain braces: ignored.
    @Test func textPartInMultipartIsIgnored() throws {
        let bytes = MailSamples.message(
            """
            From: reports@example.org
            Content-Type: multipart/mixed; boundary=t

            --t
            Content-Type: text/plain

            \(MailSamples.reportJSON)
            --t
            Content-Type: text/html

            <pre>\(MailSamples.reportJSON)</pre>
            --t--
            """)
        #expect(throws: MailError(.noReportFound, "")) { try ReportMailReader.read(bytes) }
    }

    /// Two reports in one message: both are returned, in order.
    @Test func twoReports() throws {
        let bytes = MailSamples.message(
            """
            From: reports@example.org
            Content-Type: multipart/mixed; boundary=two

            --two
            Content-Type: application/tlsrpt+gzip; name="first.json.gz"
            Content-Transfer-Encoding: base64

            \(MailSamples.reportGzipBase64)
            --two
            Content-Type: application/tlsrpt+json; name="second.json"

            \(MailSamples.reportJSON)
            --two--
            """)
        let mail = try ReportMailReader.read(bytes)
        #expect(mail.attachments.map(\.filename) == ["first.json.gz", "second.json"])
        #expect(mail.attachments.map(\.kind) == [.gzip, .json])
    }

    /// Parts of a `multipart/digest` without a Content-Type are messages (RFC 2046 §5.1.5).
    @Test func digestPartsDefaultToMessages() throws {
        let bytes = MailSamples.message(
            """
            From: list@example.org
            Content-Type: multipart/digest; boundary=d

            --d

            From: noreply-smtp-tls-reporting@google.com
            TLS-Report-Domain: example.com
            Content-Type: application/tlsrpt+gzip
            Content-Transfer-Encoding: base64

            \(MailSamples.reportGzipBase64)
            --d--
            """)
        let root = try MIMEPart(parsing: bytes)
        #expect(root.children.first?.mediaType == .messageRFC822)
        let mail = try ReportMailReader.read(bytes)
        #expect(mail.provenance.tlsReportDomain == "example.com")
        #expect(mail.attachments.first?.bytes.count == MailSamples.reportGzipLength)
    }

    /// A gateway banner in the text part (a broken DKIM body hash) does not affect the report.
    @Test func gatewayBannerInTextPart() throws {
        let bytes = MailSamples.message(
            """
            From: noreply-smtp-tls-reporting@google.com
            Content-Type: multipart/report; boundary="g"; report-type=tlsrpt

            --g
            Content-Type: text/plain; charset="UTF-8"
            Content-Transfer-Encoding: quoted-printable

                    External Email =E2=80=93 Please use caution before opening attachme=
            nts

            This is an aggregate TLS report from google.com
            --g
            Content-Type: application/tlsrpt+gzip
            Content-Transfer-Encoding: base64

            \(MailSamples.reportGzipBase64)
            --g--
            """)
        let root = try MIMEPart(parsing: bytes)
        let banner = String(decoding: root.children[0].decodedBody, as: UTF8.self)
        #expect(banner.hasPrefix("        External Email – Please use caution before opening attachments\r\n"))
        #expect(try ReportMailReader.read(bytes).attachments.count == 1)
    }

    /// 8-bit bytes in headers: UTF-8 is read as UTF-8, other bytes as ISO-8859-1.
    @Test func eightBitHeaders() throws {
        var bytes = Array("From: Jos\u{E9} <r@example.org>\r\nSubject: caf".utf8)
        bytes += [0xE9]  // Latin-1 é
        bytes += Array("\r\nContent-Type: application/tlsrpt+json\r\n\r\n\(MailSamples.reportJSON)".utf8)
        let mail = try ReportMailReader.read(bytes)
        #expect(mail.provenance.from == "José <r@example.org>")
        #expect(mail.provenance.subject == "café")
    }
}
