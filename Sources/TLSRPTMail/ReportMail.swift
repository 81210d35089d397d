/// A report mail taken apart: where it came from and the report payloads it carries.
package struct ReportMail: Sendable {
    /// From the headers of the message that holds the first report: the top-level message,
    /// or a forwarded `message/rfc822` inside it.
    package var provenance: MailProvenance
    /// Every report payload, in document order; never empty.
    package var attachments: [ReportAttachment]

    package init(provenance: MailProvenance, attachments: [ReportAttachment]) {
        self.provenance = provenance
        self.attachments = attachments
    }
}
