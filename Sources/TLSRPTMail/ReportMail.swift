/// A report mail taken apart: where it came from and the report payloads it carries.
public struct ReportMail: Sendable {
    /// From the headers of the message that holds the first report: the top-level message,
    /// or a forwarded `message/rfc822` inside it.
    public var provenance: MailProvenance
    /// Every report payload, in document order; never empty.
    public var attachments: [ReportAttachment]

    public init(provenance: MailProvenance, attachments: [ReportAttachment]) {
        self.provenance = provenance
        self.attachments = attachments
    }
}
