import Foundation
import TLSRPTCore
import TLSRPTStore

/// Which policy applied when a finding's failures happened, and so what they mean for the mail.
///
/// A period may hold several policies for one domain (the mode went from testing to enforce, an `mx:` line
/// was added), and several senders may report the same failures under different policy types. The answer
/// never depends on the order rows come from the store:
/// - MTA-STS: the policy quoted with the failures seen last (latest last-seen, then latest first-seen, then
///   the most failed sessions, then the policy text), so a domain that went from testing to enforce is
///   judged by enforce, and one that went back to testing by testing;
/// - failures reported under `tlsa` fall under DANE (RFC 7672): senders that use DANE defer such mail;
/// - failures reported under `no-policy-found` had no policy: mail flows, whatever another sender quoted;
/// - when one finding's failures came under several types, the most severe reading stands.
struct PolicyInForce {
    /// The policy type the impact was judged under (`sts`, `tlsa`, `no-policy-found`, ...).
    var policyType: String?
    /// The MTA-STS policy in force (for `sts` failures and policy-retrieval problems), when known.
    var policy: STSPolicy?
    var severity: Finding.Severity
    var impact: String

    /// The MTA-STS mode, only when the impact was judged by it.
    var mode: STSMode? { policy?.mode }
}

extension DiagnosisEvidence.FailureGroup {
    /// Latest first: the order in which "the policy in force" is read from failure groups.
    static func latestFirst(_ a: Self, _ b: Self) -> Bool {
        if a.lastSeen != b.lastSeen { return a.lastSeen > b.lastSeen }
        if a.firstSeen != b.firstSeen { return a.firstSeen > b.firstSeen }
        if a.failed != b.failed { return a.failed > b.failed }
        let textA = a.stsPolicy.map(STSPolicy.sortKey) ?? ""
        let textB = b.stsPolicy.map(STSPolicy.sortKey) ?? ""
        if textA != textB { return textA.utf8.lexicographicallyPrecedes(textB.utf8) }
        return a.sender.utf8.lexicographicallyPrecedes(b.sender.utf8)
    }
}

extension STSPolicy {
    /// A stable text for ordering policies that tie on dates and counts.
    static func sortKey(_ policy: STSPolicy) -> String {
        "\(policy.modeText ?? "")\u{0}\(policy.mx.joined(separator: ","))\u{0}\(policy.maxAge.map(String.init) ?? "")"
    }
}

extension DiagnosisContext {
    /// The MTA-STS policy quoted with the latest of `groups`' failures, else the domain's latest quoted policy.
    func stsPolicyInForce(_ groups: [DiagnosisEvidence.FailureGroup], domain: String?) -> STSPolicy? {
        groups.filter { $0.stsPolicy != nil }.min(by: DiagnosisEvidence.FailureGroup.latestFirst)?.stsPolicy
            ?? latestPolicy(for: domain)?.policy
    }

    /// What the failures of `aggregate` meant for the mail: see ``PolicyInForce``.
    func policyInForce(_ kind: PolicyModeImpact.Kind, _ aggregate: FailureAggregate) -> PolicyInForce {
        switch kind {
        case .policyRetrieval:
            // Fetch errors come under `no-policy-found` (there was no usable policy): what matters is the mode
            // senders cached, i.e. the policy the domain published, as senders last quoted it.
            let policy = stsPolicyInForce(aggregate.groups, domain: aggregate.domain)
            let assessed = PolicyModeImpact.assess(kind, mode: policy?.mode)
            return PolicyInForce(policyType: "sts", policy: policy, severity: assessed.severity, impact: assessed.impact)
        case .delivery, .dane, .unknown:
            let types = Set(aggregate.groups.map(\.policyType)).sorted(by: Self.policyTypeOrder)
            var best: PolicyInForce?
            for type in types {
                let policy =
                    type == "sts" ? stsPolicyInForce(aggregate.groups.filter { $0.policyType == "sts" }, domain: aggregate.domain) : nil
                let assessed = PolicyModeImpact.assess(kind, policyType: type, mode: policy?.mode)
                let candidate = PolicyInForce(
                    policyType: type, policy: kind == .delivery ? policy : nil, severity: assessed.severity, impact: assessed.impact)
                if best == nil || candidate.severity < best!.severity { best = candidate }
            }
            if let best { return best }
            let assessed = PolicyModeImpact.assess(kind, policyType: nil, mode: nil)
            return PolicyInForce(policyType: nil, policy: nil, severity: assessed.severity, impact: assessed.impact)
        }
    }

    /// `sts` first, then `tlsa`, `no-policy-found`, then unknown types by name: the order ties are read in.
    static func policyTypeOrder(_ a: String, _ b: String) -> Bool {
        let rank = ["sts": 0, "tlsa": 1, "no-policy-found": 2]
        let (ra, rb) = (rank[a] ?? 3, rank[b] ?? 3)
        return ra != rb ? ra < rb : a < b
    }
}
