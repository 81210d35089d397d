package import Foundation
import TLSRPTCore

/// One diagnosis: a problem the reports point at, where it happens, who reports it, why it probably
/// happens and what to change, with the evidence it was drawn from.
///
/// Findings carry their wording (written by the rule that made them, from the catalogue and the rule
/// set) so that every renderer shows the same words; renderers only lay them out.
package struct Finding: Sendable, Equatable {
    /// How urgent a finding is, most urgent first.
    package enum Severity: Int, Sendable, Comparable, CaseIterable {
        /// Senders that honour the policy do not deliver the affected mail.
        case critical = 0
        /// Mail still flows, but without the protection the domain asked for, or it will stop once the
        /// policy is enforced.
        case warning = 1
        /// Worth knowing; nothing to change on the receiving side.
        case notice = 2

        package var name: String {
            switch self {
            case .critical: "critical"
            case .warning: "warning"
            case .notice: "notice"
            }
        }

        package static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// Failed sessions one sender reported for the finding.
    package struct SenderShare: Sendable, Equatable {
        package var organization: String
        package var failedSessions: Int64

        package init(organization: String, failedSessions: Int64) {
            self.organization = organization
            self.failedSessions = failedSessions
        }
    }

    /// The rule that made the finding, e.g. `mx-not-in-policy`.
    package var rule: String
    package var severity: Severity
    /// The policy domains whose mail it concerns, sorted: one for a domain's own cause, many for a shared
    /// cause (one MX host or one policy host serving many domains is one problem, not one per customer).
    package var domains: [String]
    /// The domain when the finding concerns exactly one.
    package var domain: String? { domains.count == 1 ? domains[0] : nil }
    /// Receiving MX hosts concerned; empty when the failures name none (policy fetch errors).
    package var hosts: [String]
    /// Failed sessions per canonical result type.
    package var resultTypes: [String: Int64]
    /// Who reports it, most failures first.
    package var senders: [SenderShare]
    package var failedSessions: Int64
    /// Start of the first and last report showing the problem.
    package var firstSeen: Date
    package var lastSeen: Date
    /// The MTA-STS mode in force when the failures happened (`enforce`, `testing`, `none`), when the impact was
    /// judged by one; nil for DANE findings and failures reported under no policy.
    package var policyMode: String?
    /// The policy type the impact was judged under: `sts`, `tlsa`, `no-policy-found` (or an unknown type as sent).
    package var policyType: String?
    /// What happens, and where: one sentence.
    package var headline: String
    /// The likely cause.
    package var cause: String
    /// What the mode means for the mail: is it lost, or does it still flow?
    package var impact: String
    /// Concrete changes, in the order to try them.
    package var fixes: [String]
    /// Evidence lines: patterns, reason codes, policy problems, addresses.
    package var evidence: [String]
    /// Remarks other rules added (e.g. that only one sender sees it).
    package var notes: [String]

    package init(
        rule: String, severity: Severity, domain: String?, hosts: [String], resultTypes: [String: Int64], senders: [SenderShare],
        failedSessions: Int64, firstSeen: Date, lastSeen: Date, policyMode: String?, headline: String, cause: String,
        impact: String, fixes: [String], evidence: [String] = [], notes: [String] = []
    ) {
        self.rule = rule
        self.severity = severity
        self.domains = domain.map { [$0] } ?? []
        self.hosts = hosts
        self.resultTypes = resultTypes
        self.senders = senders
        self.failedSessions = failedSessions
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.policyMode = policyMode
        self.headline = headline
        self.cause = cause
        self.impact = impact
        self.fixes = fixes
        self.evidence = evidence
        self.notes = notes
    }

    /// `2026-11-22, last seen 2026-11-28`: the UTC day the first report showing the problem starts (in the
    /// whole store) and the day the last one in the period ends.
    package var sinceText: String {
        "\(RFC3339Date.day(firstSeen)), last seen \(lastSeenDay)"
    }

    /// The UTC day of the last failure: a report ends at the first instant after its period (Yahoo's end
    /// at 00:00:00 of the next day), so that instant belongs to the day before.
    package var lastSeenDay: String {
        RFC3339Date.day(max(firstSeen, lastSeen.addingTimeInterval(-1)))
    }

    /// Whether someone has to change something (critical or warning).
    package var needsAction: Bool { severity <= .warning }

    /// `164 domains: a.example, b.example, … and 156 more`; nil for a finding of one domain (or none named),
    /// whose wording already names it.
    package var domainsText: String? {
        guard domains.count > 1 else { return nil }
        return "\(NumberFormat.count(domains.count, "domain")): \(DisplayLimit.joined(domains))"
    }

    /// Reading order, most important first: severity (lost mail before unprotected mail before notices),
    /// then failed sessions, then how many domains it touches, then the most recent, then the headline.
    package static func isMoreImportant(_ a: Finding, _ b: Finding) -> Bool {
        if a.severity != b.severity { return a.severity < b.severity }
        if a.failedSessions != b.failedSessions { return a.failedSessions > b.failedSessions }
        if a.domains.count != b.domains.count { return a.domains.count > b.domains.count }
        if a.lastSeen != b.lastSeen { return a.lastSeen > b.lastSeen }
        return a.headline < b.headline
    }
}
