package import Foundation

/// What the mail headers say about a report: who sent it, about which domain, when.
///
/// The JSON inside is authoritative (RFC 8460 §5.3); these values are kept to show where a
/// report came from and to notice when headers and report disagree. All are unfolded, RFC
/// 2047 decoded and trimmed; a header that is absent or empty is nil.
package struct MailProvenance: Sendable, Equatable {
    /// `TLS-Report-Domain`: the policy domain the report is about.
    package var tlsReportDomain: String?
    /// `TLS-Report-Submitter`: the reporting organisation's domain.
    package var tlsReportSubmitter: String?
    package var subject: String?
    /// The value after `Report-ID:` in the Subject, without the angle brackets Google and
    /// the RFC put around it (Microsoft sends none, and folds it onto the next line).
    package var subjectReportID: String?
    /// `Message-ID` as sent, angle brackets included.
    package var messageID: String?
    /// The `Date` header, when it could be read (see `RFC5322Date`).
    package var date: Date?
    /// The `Date` header as sent.
    package var dateRaw: String?
    /// `From` as sent, display name and angle brackets included.
    package var from: String?

    package init(
        tlsReportDomain: String? = nil, tlsReportSubmitter: String? = nil, subject: String? = nil,
        subjectReportID: String? = nil, messageID: String? = nil, date: Date? = nil, dateRaw: String? = nil,
        from: String? = nil
    ) {
        self.tlsReportDomain = tlsReportDomain
        self.tlsReportSubmitter = tlsReportSubmitter
        self.subject = subject
        self.subjectReportID = subjectReportID
        self.messageID = messageID
        self.date = date
        self.dateRaw = dateRaw
        self.from = from
    }

    /// Reads the provenance from a message's header section.
    package init(headers: MIMEHeaders) {
        func text(_ name: String) -> String? {
            guard let value = headers.decodedValue(name)?.trimmingSpaces(), !value.isEmpty else { return nil }
            return value
        }
        let subject = text("Subject")
        let dateRaw = text("Date")
        self.init(
            tlsReportDomain: text("TLS-Report-Domain"), tlsReportSubmitter: text("TLS-Report-Submitter"), subject: subject,
            subjectReportID: subject.flatMap(Self.reportID(inSubject:)), messageID: text("Message-ID"),
            date: dateRaw.flatMap(RFC5322Date.parse), dateRaw: dateRaw, from: text("From"))
    }

    /// The id after `Report-ID:` (RFC 8460 §5.3 writes the keyword with that case; it is
    /// matched in any case): the text inside `<...>` when bracketed, else up to the next blank.
    static func reportID(inSubject subject: String) -> String? {
        let bytes = Array(subject.utf8)[...]
        let keyword = Array("report-id:".utf8)
        guard var index = bytes.indices.first(where: { bytes.hasLowercasedBytes(keyword, at: $0) }) else { return nil }
        index += keyword.count
        while index < bytes.endIndex && ASCII.isBlank(bytes[index]) { index += 1 }
        let id: ArraySlice<UInt8>
        if index < bytes.endIndex && bytes[index] == ASCII.lessThan {
            let rest = bytes[(index + 1)...]
            id = rest.prefix { $0 != ASCII.greaterThan }
        } else {
            id = bytes[index...].prefix { !ASCII.isBlank($0) }
        }
        return id.isEmpty ? nil : String(decoding: id, as: UTF8.self)
    }
}
