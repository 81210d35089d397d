/// docs/ARCHITECTURE.md's rules for counting sessions, as pure functions the store applies at insert.
///
/// One report's sessions for one policy domain are counted once. Entries of the same `policy-type` for one
/// domain are distinct sessions and add up: SocketLabs splits one policy into a success entry (12/0) and a
/// failure entry (0/2, with the details), and a policy that changed during the day gives one entry per
/// version. Entries of different types describe the same sessions (Microsoft reports them under both `sts`
/// and `tlsa`): per type its entries add up, then the type with the most sessions (successful + failed)
/// stands for them; on a tie, the one with more failures; on a full tie, the type that comes first.
public enum CountingRule {
    /// What one report counts for one policy domain.
    public struct DomainCount: Sendable, Equatable {
        public var domain: String?
        /// The policy type that stands for the domain's sessions (`PolicyType.name`).
        public var policyType: String
        public var successful: Int64
        public var failed: Int64
        /// Positions (in the report's `policies`) of the entries that count: every entry of `policyType`.
        public var positions: [Int]

        public var sessions: Int64 { CountSum.add(successful, failed) }
    }

    /// Per policy domain, in order of first appearance, what the report counts.
    public static func count(_ policies: [PolicyResult]) -> [DomainCount] {
        // Per domain, per type in order of first appearance: the entries added up.
        var domains: [String?: Int] = [:]
        var perDomain: [[DomainCount]] = []
        for (position, result) in policies.enumerated() {
            let domain = result.policy.domain
            let type = result.policy.type.name
            let d: Int
            if let known = domains[domain] {
                d = known
            } else {
                d = perDomain.count
                domains[domain] = d
                perDomain.append([])
            }
            if let t = perDomain[d].firstIndex(where: { $0.policyType == type }) {
                perDomain[d][t].successful.addCount(result.summary.successful)
                perDomain[d][t].failed.addCount(result.summary.failed)
                perDomain[d][t].positions.append(position)
            } else {
                perDomain[d].append(
                    DomainCount(
                        domain: domain, policyType: type, successful: result.summary.successful, failed: result.summary.failed,
                        positions: [position]))
            }
        }
        return perDomain.map { types in
            var best = types[0]
            for candidate in types.dropFirst()
            where candidate.sessions > best.sessions || (candidate.sessions == best.sessions && candidate.failed > best.failed) {
                best = candidate
            }
            return best
        }
    }

    /// Positions (in `policies`) of the policies whose totals count.
    public static func countedPolicies(_ policies: [PolicyResult]) -> Set<Int> {
        Set(count(policies).flatMap(\.positions))
    }

    /// A report's counted sessions and failures over all its domains, as the choice between versions of
    /// one report weighs them.
    public struct Weight: Sendable, Equatable {
        public var sessions: Int64
        public var failed: Int64

        public init(sessions: Int64, failed: Int64) {
            self.sessions = sessions
            self.failed = failed
        }

        public init(_ counts: [DomainCount]) {
            var weight = Weight(sessions: 0, failed: 0)
            for entry in counts {
                weight.sessions.addCount(entry.sessions)
                weight.failed.addCount(entry.failed)
            }
            self = weight
        }
    }

    /// Of several versions of one report (same organisation, report-id and date range, other content), the
    /// one that counts in summaries: the most sessions, then the most failures, then (so that the choice
    /// never depends on arrival order) the lowest content hash, bytewise. True when `candidate` beats
    /// `incumbent`.
    public static func prefers(
        _ candidate: Weight, hash candidateHash: [UInt8], over incumbent: Weight, hash incumbentHash: [UInt8]
    ) -> Bool {
        if candidate.sessions != incumbent.sessions { return candidate.sessions > incumbent.sessions }
        if candidate.failed != incumbent.failed { return candidate.failed > incumbent.failed }
        return candidateHash.lexicographicallyPrecedes(incumbentHash)
    }
}
