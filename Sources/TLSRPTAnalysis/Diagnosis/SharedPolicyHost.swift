import Foundation
import TLSRPTCore

/// Policy-host failures of many domains that began together: most likely one web server hosting all their
/// `mta-sts.<domain>` policies (a provider's), so one problem to fix, not one per domain.
///
/// Reports name no host for these failures (the policy host is `mta-sts.<domain>`, different for every
/// domain), so what they share is read from the failures themselves: the same result type (the rule's),
/// the same reason senders gave, and the same first UTC day. Domains whose own policy host broke on their
/// own day, or for another reason, stay findings of their own.
enum SharedPolicyHost {
    /// Fewer domains than this failing alike on one day may be a coincidence; this many is a pattern.
    static let minimumDomains = 3

    /// The per-domain aggregates (one per policy domain) gathered into clusters of the same reason and
    /// first day, in the order of their first member; a domain-less aggregate is a cluster of its own.
    static func clusters(_ perDomain: [FailureAggregate]) -> [[FailureAggregate]] {
        struct Key: Hashable {
            var reason: String
            var day: String
        }
        var clusters: [[FailureAggregate]] = []
        var index: [Key: Int] = [:]
        for aggregate in perDomain {
            guard aggregate.domain != nil else {
                clusters.append([aggregate])
                continue
            }
            let key = Key(reason: aggregate.reasonCodes.first?.text ?? "", day: RFC3339Date.day(aggregate.firstSeen))
            if let i = index[key] {
                clusters[i].append(aggregate)
            } else {
                index[key] = clusters.count
                clusters.append([aggregate])
            }
        }
        return clusters
    }

    /// The likely cause of a cluster: `The same <failure> began on <since> for N domains (senders say: "…"): their
    /// policy hosts mta-sts.<domain> are most likely one web server (a provider's)<which>.`, `which` beginning with
    /// its own space or comma.
    static func cause(_ failure: String, since: String, _ aggregate: FailureAggregate, which: String) -> String {
        var cause = "The same \(failure) began on \(since) for \(NumberFormat.count(aggregate.domains.count, "domain"))"
        if let reason = aggregate.reasonCodes.first?.text { cause += " (senders say: \"\(reason)\")" }
        return cause + ": their policy hosts mta-sts.<domain> are most likely one web server (a provider's)\(which)."
    }

    /// How to confirm the shared host: resolve the policy hosts of a few of the domains and compare.
    static func confirmation(_ domains: [String]) -> String {
        let names = domains.prefix(3).map { "mta-sts.\($0)" }.joined(separator: " ")
        return "Confirm that one server hosts these policies: `dig +short \(names)` should give the same address or CNAME target; "
            + "fix that server (its certificate, its reachability) and every domain's policy is served again."
    }
}
