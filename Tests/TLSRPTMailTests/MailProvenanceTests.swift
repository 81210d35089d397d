import Testing

@testable import TLSRPTMail

struct MailProvenanceTests {
    @Test(arguments: [
        ("Report Domain: a Submitter: b Report-ID: <x@y>", "x@y"),
        ("Report Domain: a Submitter: b Report-ID: 133198585438131172+a", "133198585438131172+a"),
        ("Report Domain: a Submitter: b Report-ID:   <x@y> trailing", "x@y"),
        ("report domain: a submitter: b report-id: <x@y>", "x@y"),
        ("Report Domain: a Submitter: b Report-ID: <unterminated", "unterminated"),
    ])
    func reportIDInSubject(subject: String, expected: String) {
        #expect(MailProvenance.reportID(inSubject: subject) == expected)
    }

    @Test(arguments: ["Report Domain: a Submitter: b", "Report Domain: a Report-ID:", "Report-ID: <>"])
    func noReportIDInSubject(_ subject: String) {
        #expect(MailProvenance.reportID(inSubject: subject) == nil)
    }

    @Test func headersAreDecodedAndEmptyOnesAreNil() throws {
        let (headers, _) = try MIMEHeaders.parse(
            Array(
                """
                From: =?utf-8?Q?Rapports_TLS?= <tls@example.fr>\r
                Subject: =?utf-8?B?UmFwcG9ydA==?= Report-ID: <r@example.fr>\r
                TLS-Report-Domain:   \r
                Date: not a date\r
                \r

                """.utf8)[...], maxBytes: 4096)
        let provenance = MailProvenance(headers: headers)
        #expect(
            provenance
                == MailProvenance(
                    subject: "Rapport Report-ID: <r@example.fr>", subjectReportID: "r@example.fr", dateRaw: "not a date",
                    from: "Rapports TLS <tls@example.fr>"))
    }
}
