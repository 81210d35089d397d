import TLSRPTCore

/// DESIGN.md's rule for counting sessions: one report's sessions for one policy domain are counted once.
///
/// Microsoft reports the same sessions under an `sts` and a `tlsa` policy for the same domain; summing them
/// would double its numbers. The policy with the most sessions stands for them; on a tie, the one with more
/// failures; on a full tie, the first.
public enum CountingRule {
    /// Positions (in `policies`) of the policies whose totals count.
    public static func countedPolicies(_ policies: [PolicyResult]) -> Set<Int> {
        var best: [String?: Int] = [:]
        for (position, result) in policies.enumerated() {
            let domain = result.policy.domain
            guard let current = best[domain] else {
                best[domain] = position
                continue
            }
            let incumbent = policies[current]
            if result.totalSessions > incumbent.totalSessions
                || (result.totalSessions == incumbent.totalSessions && result.summary.failed > incumbent.summary.failed)
            {
                best[domain] = position
            }
        }
        return Set(best.values)
    }
}
