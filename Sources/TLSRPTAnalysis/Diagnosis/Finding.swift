import Foundation
import TLSRPTCore

/// One diagnosis: a problem the reports point at, where it happens, who reports it, why it probably
/// happens and what to change, with the evidence it was drawn from.
///
/// Findings carry their wording (written by the rule that made them, from the catalogue and the rule
/// set) so that every renderer shows the same words; renderers only lay them out.
public struct Finding: Sendable, Equatable {
    /// How urgent a finding is, most urgent first.
    public enum Severity: Int, Sendable, Comparable, CaseIterable {
        /// Senders that honour the policy do not deliver the affected mail.
        case critical = 0
        /// Mail still flows, but without the protection the domain asked for, or it will stop once the
        /// policy is enforced.
        case warning = 1
        /// Worth knowing; nothing to change on the receiving side.
        case notice = 2

        public var name: String {
            switch self {
            case .critical: "critical"
            case .warning: "warning"
            case .notice: "notice"
            }
        }

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// Failed sessions one sender reported for the finding.
    public struct SenderShare: Sendable, Equatable {
        public var organization: String
        public var failedSessions: Int64

        public init(organization: String, failedSessions: Int64) {
            self.organization = organization
            self.failedSessions = failedSessions
        }
    }

    /// The rule that made the finding, e.g. `mx-not-in-policy`.
    public var rule: String
    public var severity: Severity
    public var domain: String?
    /// Receiving MX hosts concerned; empty when the failures name none (policy fetch errors).
    public var hosts: [String]
    /// Failed sessions per canonical result type.
    public var resultTypes: [String: Int64]
    /// Who reports it, most failures first.
    public var senders: [SenderShare]
    public var failedSessions: Int64
    /// Start of the first and last report showing the problem.
    public var firstSeen: Date
    public var lastSeen: Date
    /// The MTA-STS mode in force when the failures happened (`enforce`, `testing`, `none`), when the impact was
    /// judged by one; nil for DANE findings and failures reported under no policy.
    public var policyMode: String?
    /// The policy type the impact was judged under: `sts`, `tlsa`, `no-policy-found` (or an unknown type as sent).
    public var policyType: String?
    /// What happens, and where: one sentence.
    public var headline: String
    /// The likely cause.
    public var cause: String
    /// What the mode means for the mail: is it lost, or does it still flow?
    public var impact: String
    /// Concrete changes, in the order to try them.
    public var fixes: [String]
    /// Evidence lines: patterns, reason codes, policy problems, addresses.
    public var evidence: [String]
    /// Remarks other rules added (e.g. that only one sender sees it).
    public var notes: [String]

    public init(
        rule: String, severity: Severity, domain: String?, hosts: [String], resultTypes: [String: Int64], senders: [SenderShare],
        failedSessions: Int64, firstSeen: Date, lastSeen: Date, policyMode: String?, headline: String, cause: String,
        impact: String, fixes: [String], evidence: [String] = [], notes: [String] = []
    ) {
        self.rule = rule
        self.severity = severity
        self.domain = domain
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
    public var sinceText: String {
        "\(RFC3339Date.day(firstSeen)), last seen \(RFC3339Date.day(lastSeen))"
    }

    /// Whether someone has to change something (critical or warning).
    public var needsAction: Bool { severity <= .warning }
}
