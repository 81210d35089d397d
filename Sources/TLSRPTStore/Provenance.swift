/// How a report reached us. Recorded with every report and every rejection so that a person can trace it
/// back (and judge it: the HTTPS endpoint is unauthenticated by design).
package struct Provenance: Sendable, Hashable {
    package enum Channel: String, Sendable {
        case file, maildir, https, stdin
    }

    package var channel: Channel
    /// The path, maildir message, or `-` for standard input.
    package var name: String
    /// `TLS-Report-Submitter` of the carrying mail.
    package var submitter: String?
    /// `TLS-Report-Domain` of the carrying mail.
    package var reportDomain: String?
    package var messageID: String?
    /// The Subject's `Report-ID:` (not always the JSON's: Google uses another form).
    package var subjectReportID: String?
    /// The mail's `Date:` as sent.
    package var mailDate: String?
    /// For HTTPS: the client address and User-Agent.
    package var clientAddress: String?
    package var userAgent: String?

    package init(
        channel: Channel, name: String, submitter: String? = nil, reportDomain: String? = nil, messageID: String? = nil,
        subjectReportID: String? = nil, mailDate: String? = nil, clientAddress: String? = nil, userAgent: String? = nil
    ) {
        self.channel = channel
        self.name = name
        self.submitter = submitter
        self.reportDomain = reportDomain
        self.messageID = messageID
        self.subjectReportID = subjectReportID
        self.mailDate = mailDate
        self.clientAddress = clientAddress
        self.userAgent = userAgent
    }
}
