package import Foundation
import TLSRPTCore
package import TLSRPTStore

/// What the admin is told when a report shows a problem that was not there before (or a known one that got
/// much worse): the finding's words, where, who, since when, and the command for the full picture.
package struct Alert: Sendable, Equatable {
    /// Why the alert was raised.
    package enum Kind: String, Sendable {
        /// The problem had no failures in the window before the new reports.
        case new
        /// A known problem whose failure rate jumped (from under 1% to over 20% of its domains' sessions).
        case jump
        /// A problem told before whose domains' reports showed only successes on its hosts for two days.
        case resolved
    }

    package var kind: Kind
    package var identity: ProblemIdentity
    package var severity: Finding.Severity
    package var headline: String
    package var cause: String
    package var impact: String
    /// The first change to try (the finding's first fix).
    package var fix: String?
    /// Failed sessions per canonical result type, in the days the new reports cover.
    package var resultTypes: [String: Int64]
    /// Who reports it, most failures first.
    package var senders: [String]
    package var failedSessions: Int64
    /// Start of the first report showing the problem (in the whole store), and end of the last one.
    package var firstSeen: Date
    package var lastSeen: Date
    /// For a jump: the failure rate in the window before and now (0...1).
    package var rateBefore: Double?
    package var rateNow: Double?
    /// The command that shows the full picture, e.g. `tlsrpt summary --domain example.com`.
    package var command: String
    /// What a live probe said when the alert fired (`--probe-on-alert`): whether the cause is confirmed, and
    /// the checks that failed; empty without a probe.
    package var probe: [String] = []

    package var domains: [String] { identity.domains }
    package var hosts: [String] { identity.hosts }

    package init(
        kind: Kind, finding: Finding, rateBefore: Double? = nil, rateNow: Double? = nil, command: String
    ) {
        self.kind = kind
        self.identity = ProblemIdentity(finding)
        self.severity = finding.severity
        self.headline = finding.headline
        self.cause = finding.cause
        self.impact = finding.impact
        self.fix = finding.fixes.first
        self.resultTypes = finding.resultTypes
        self.senders = finding.senders.map(\.organization)
        self.failedSessions = finding.failedSessions
        self.firstSeen = finding.firstSeen
        self.lastSeen = finding.lastSeen
        self.rateBefore = rateBefore
        self.rateNow = rateNow
        self.command = command
    }

    /// The notice that the problem an earlier alert told is resolved: its identity and words, the senders
    /// that reported it, and the quiet days.
    package init(resolving told: NewAlertRow, senders: [String], quietDays: [Date], command: String) {
        kind = .resolved
        identity = ProblemIdentity(rule: told.rule, hosts: told.hosts, domains: told.domains)
        severity = Finding.Severity.allCases.first { $0.name == told.severity } ?? .warning
        headline = told.headline
        cause = ""
        impact = ""
        fix = nil
        resultTypes = [:]
        self.senders = senders
        failedSessions = 0
        firstSeen = told.firstSeen
        lastSeen = told.lastSeen
        self.quietDays = quietDays
        self.command = command
    }

    /// For a resolved notice: the UTC days with only successes.
    package var quietDays: [Date] = []

    /// Result types, most failed sessions first, then by name.
    package var resultTypeNames: [String] {
        resultTypes.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map(\.key)
    }
}
