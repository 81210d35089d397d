package import Foundation
import TLSRPTCore
import TLSRPTStore

/// An MTA-STS policy that changed within the period: senders quoted one text, then another (mode testing to
/// enforce, a new `mx:` line). The summary says so, and findings name the policy their failures came under.
///
/// The store gives, per quoted policy, only the start of the last report quoting it; when the new policy first
/// appeared is read from the failures reported under it, when there are any. So the day of the change is exact
/// when the earlier policy was last quoted on the day before the first failure under the new one, and a range
/// otherwise.
package struct PolicyChange: Sendable, Equatable {
    package var domain: String?
    /// The policy lines before and after, as senders quoted them.
    package var before: [String]
    package var after: [String]
    /// The start of the last report quoting the earlier policy.
    package var lastSeenBefore: Date
    /// The start of the last report quoting the new one.
    package var lastSeenAfter: Date
    /// The start of the first report with failures under the new policy, when there are any.
    package var firstFailureAfter: Date?
    /// What changed, e.g. `mode testing → enforce`, `mx: added mx3.example.com`.
    package var differences: [String]

    /// When it changed, as a phrase: `on 2026-03-02`, `between 2026-03-02 and 2026-03-04`, `after 2026-03-01`.
    package var when: String {
        let dayAfter = RFC3339Date.day(lastSeenBefore.addingTimeInterval(86_400))
        guard let first = firstFailureAfter else { return "after \(RFC3339Date.day(lastSeenBefore))" }
        let firstDay = RFC3339Date.day(first)
        if firstDay == dayAfter { return "on \(firstDay)" }
        if first <= lastSeenBefore {
            return "around \(firstDay) (senders quoted both policies until \(RFC3339Date.day(lastSeenBefore)))"
        }
        return "between \(dayAfter) and \(firstDay)"
    }

    /// One line for the summary: `example.com: the MTA-STS policy changed on 2026-03-02: mode testing → enforce`.
    package var sentence: String {
        let what = differences.isEmpty ? "its text changed" : differences.joined(separator: "; ")
        return "\(domain ?? "(no domain named)"): the MTA-STS policy changed \(when): \(what)."
    }

    /// The changes among a domain's quoted policies, oldest first. Policies are ordered by the last report
    /// quoting them (then by reports, then text), so the result never depends on the store's row order.
    static func detect(_ evidence: DiagnosisEvidence) -> [PolicyChange] {
        let byDomain = Dictionary(grouping: evidence.stsPolicies, by: \.domain)
        var changes: [PolicyChange] = []
        for (domain, quoted) in byDomain where quoted.count > 1 {
            let ordered = quoted.sorted { a, b in
                if a.lastSeen != b.lastSeen { return a.lastSeen < b.lastSeen }
                if a.reports != b.reports { return a.reports < b.reports }
                return a.lines.joined(separator: "\n") < b.lines.joined(separator: "\n")
            }
            let failures = evidence.failures.filter { $0.domain == domain && $0.stsPolicy != nil }
            for (old, new) in zip(ordered, ordered.dropFirst()) where old.lastSeen < new.lastSeen {
                let firstFailure = failures.filter { $0.stsPolicy == new.policy }.map(\.firstSeen).min()
                changes.append(
                    PolicyChange(
                        domain: domain, before: old.lines, after: new.lines, lastSeenBefore: old.lastSeen, lastSeenAfter: new.lastSeen,
                        firstFailureAfter: firstFailure, differences: differences(old.policy, new.policy)))
            }
        }
        return changes.sorted { ($0.domain ?? "\u{10FFFF}", $0.lastSeenAfter) < ($1.domain ?? "\u{10FFFF}", $1.lastSeenAfter) }
    }

    static func differences(_ old: STSPolicy, _ new: STSPolicy) -> [String] {
        var out: [String] = []
        if old.modeText != new.modeText { out.append("mode \(old.modeText ?? "(none)") → \(new.modeText ?? "(none)")") }
        let added = new.mx.filter { !old.mx.contains($0) }
        let removed = old.mx.filter { !new.mx.contains($0) }
        if !added.isEmpty { out.append("mx: added " + added.joined(separator: ", ")) }
        if !removed.isEmpty { out.append("mx: removed " + removed.joined(separator: ", ")) }
        if old.maxAge != new.maxAge {
            out.append("max_age \(old.maxAge.map(String.init) ?? "(none)") → \(new.maxAge.map(String.init) ?? "(none)")")
        }
        return out
    }
}

extension DiagnosisContext {
    /// A note for a finding judged by an MTA-STS policy of a domain whose policy changed in the period: which
    /// policy its failures came under.
    func policyChangeNote(_ aggregate: FailureAggregate, inForce: PolicyInForce) -> String? {
        guard inForce.policyType == "sts", let policy = inForce.policy,
            let change = policyChanges(for: aggregate.domain).last
        else { return nil }
        let quoted = Set(aggregate.groups.compactMap(\.stsPolicy))
        let summary = policy.modeText.map { "mode \($0)" } ?? "the policy"
        let what = change.differences.isEmpty ? "" : " (" + change.differences.joined(separator: "; ") + ")"
        if quoted.count > 1 {
            return "The MTA-STS policy changed \(change.when)\(what); these failures came under "
                + "both policies, and are judged by the one in force when they were last seen (\(summary))."
        }
        return "The MTA-STS policy changed \(change.when)\(what); these failures came under the policy with \(summary)."
    }
}
