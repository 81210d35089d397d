import Foundation

/// Builds report mail shaped like Google's (multipart/report, a text part, a base64 gzip or JSON attachment),
/// for tests that need many distinct messages.
public enum ReportMessage {
    /// `attachment` is the attachment's bytes as they should arrive after base64 decoding.
    public static func make(
        attachment: [UInt8], mediaType: String = "application/tlsrpt+gzip", filename: String = "google.com!example.com!1!2!001.json.gz",
        domain: String = "example.com", submitter: String = "google.com", lineEnding: String = "\r\n"
    ) -> [UInt8] {
        let base64 = Data(attachment).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
            .replacingOccurrences(of: "\r\n", with: lineEnding)
        let boundary = "000000000000f00d\(attachment.count)"
        let lines = [
            "From: noreply-smtp-tls-reporting@google.com",
            "To: tlsrpt@example.com",
            "Subject: Report Domain: \(domain) Submitter: \(submitter) Report-ID: <test@google.com>",
            "Date: Sun, 22 Nov 2026 10:00:00 +0000",
            "Message-ID: <\(attachment.count).\(filename)@google.com>",
            "TLS-Report-Domain: \(domain)",
            "TLS-Report-Submitter: \(submitter)",
            "MIME-Version: 1.0",
            "Content-Type: multipart/report; boundary=\"\(boundary)\"; report-type=tlsrpt",
            "",
            "--\(boundary)",
            "Content-Type: text/plain; charset=\"UTF-8\"",
            "",
            "This is an aggregate TLS report from \(submitter)",
            "",
            "--\(boundary)",
            "Content-Type: \(mediaType); name=\"\(filename)\"",
            "Content-Disposition: attachment; filename=\"\(filename)\"",
            "Content-Transfer-Encoding: base64",
            "",
            base64,
            "--\(boundary)--",
            "",
        ]
        return Array(lines.joined(separator: lineEnding).utf8)
    }

    /// A DMARC aggregate report mail: it lands in the same mailboxes, and must be told apart.
    public static func dmarc() -> [UInt8] {
        let xml = Data("<?xml version=\"1.0\"?><feedback><report_metadata/></feedback>".utf8).base64EncodedString()
        return Array(
            """
            From: noreply-dmarc-support@google.com\r
            Subject: Report domain: example.com Submitter: google.com Report-ID: 123\r
            MIME-Version: 1.0\r
            Content-Type: application/xml; name="google.com!example.com!1!2.xml"\r
            Content-Transfer-Encoding: base64\r
            \r
            \(xml)\r

            """.utf8)
    }
}
