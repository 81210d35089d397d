public import Foundation

/// One normalised TLS report (RFC 8460 §4.4): who reported, for which day, and what happened per policy.
///
/// Field names follow the RFC's JSON names. Everything a real sender may omit is optional; anything we had
/// to interpret on the way in (a date without a zone, an IP that does not parse) is listed in `notes`
/// so that it can be shown instead of silently changed.
public struct Report: Sendable, Hashable {
    /// `organization-name`, trimmed. Half of the report's identity.
    public var organizationName: String
    /// `contact-info`; `null` or absent from small senders.
    public var contactInfo: String?
    /// `report-id`, as sent. Unique only within one organisation.
    public var reportID: String
    public var dateRange: DateRange
    public var policies: [PolicyResult]
    /// What normalisation noticed, in words a person can read ("start-datetime has no time zone; read as UTC").
    public var notes: [String]

    public init(
        organizationName: String, contactInfo: String?, reportID: String, dateRange: DateRange,
        policies: [PolicyResult], notes: [String] = []
    ) {
        self.organizationName = organizationName
        self.contactInfo = contactInfo
        self.reportID = reportID
        self.dateRange = dateRange
        self.policies = policies
        self.notes = notes
    }
}

/// The reporting period, in UTC. Senders use both `23:59:59Z` and the next day's `00:00:00Z` as the end;
/// both are kept as sent, and analysis assigns a report to a period by its start.
public struct DateRange: Sendable, Hashable {
    public var start: Date
    public var end: Date

    public init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }
}
