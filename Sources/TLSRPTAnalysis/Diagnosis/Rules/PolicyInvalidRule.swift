import TLSRPTCore
import TLSRPTStore

/// `sts-policy-invalid`: the policy file was fetched but does not parse. The policy strings senders quote
/// are read back (``STSPolicy/parse(_:)``) to say what is wrong: an unknown mode, a missing `max_age`,
/// no `mx:` line, ...
///
/// When the quoted policy parses and the failing host is outside its `mx:` patterns, the sender used the
/// type for the MX mismatch: ``MXNotInPolicyRule`` explains that, and this rule stands aside.
package struct PolicyInvalidRule: DiagnosisRule {
    package let id = "sts-policy-invalid"

    package init() {}

    package func findings(in context: DiagnosisContext) -> [Finding] {
        let groups = context.failures([.stsPolicyInvalid]).filter { group in
            guard let policy = context.policy(for: group), policy.isValid, let host = group.mxHost, !policy.mx.isEmpty else { return true }
            return policy.covers(mxHost: host)
        }
        return context.byDomain(groups).map { aggregate in
            let domain = aggregate.domain ?? CatalogueText.domainPlaceholder
            let quoted =
                aggregate.groups.filter { $0.stsPolicy?.isValid == false }.min(by: DiagnosisEvidence.FailureGroup.latestFirst)?.stsPolicy
                ?? context.latestPolicy(for: aggregate.domain).map(\.policy)
            let lines = context.latestPolicy(for: aggregate.domain)?.lines ?? []
            var evidence: [String] = []
            if !lines.isEmpty { evidence.append("Policy as senders quote it: " + lines.map { "\"\($0)\"" }.joined(separator: ", ")) }
            let cause: String
            if let quoted, !quoted.problems.isEmpty {
                cause =
                    "The policy file https://mta-sts.\(domain)/.well-known/mta-sts.txt does not parse: "
                    + quoted.problems.joined(separator: "; ") + "."
            } else {
                cause =
                    "Senders reject the policy file https://mta-sts.\(domain)/.well-known/mta-sts.txt although the lines they quote "
                    + "parse: check that it is served as text/plain, and that every line is as RFC 8461 writes it."
            }
            return context.finding(
                rule: id, kind: .policyRetrieval, aggregate,
                headline: "Senders cannot use the MTA-STS policy of \(domain): the policy file is invalid",
                cause: cause, fixes: CatalogueText.fixes(.stsPolicyInvalid, host: nil, domain: aggregate.domain), evidence: evidence)
        }
    }
}
