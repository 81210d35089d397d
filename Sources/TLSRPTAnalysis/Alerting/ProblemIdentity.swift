/// Which problem a finding or an alert is about, as the summary names it: the rule (the cause), the receiving
/// hosts and the policy domains.
///
/// Two identities are the same problem when they have the same rule and share a host (or both name none) and
/// a domain (or both name none). Overlap rather than equality, so that a broken shared host that reaches one
/// more customer's domain tomorrow, or a finding the diagnosis splits or merges differently on another day,
/// is still the problem already told: a storm is one alert, not one per domain.
package struct ProblemIdentity: Sendable, Equatable, Hashable {
    package var rule: String
    /// Sorted.
    package var hosts: [String]
    /// Sorted.
    package var domains: [String]

    package init(rule: String, hosts: [String], domains: [String]) {
        self.rule = rule
        self.hosts = hosts.sorted()
        self.domains = domains.sorted()
    }

    package init(_ finding: Finding) {
        self.init(rule: finding.rule, hosts: finding.hosts, domains: finding.domains)
    }

    package func isSameProblem(as other: ProblemIdentity) -> Bool {
        rule == other.rule && Self.overlap(hosts, other.hosts) && Self.overlap(domains, other.domains)
    }

    private static func overlap(_ a: [String], _ b: [String]) -> Bool {
        if a.isEmpty || b.isEmpty { return a.isEmpty && b.isEmpty }
        let smaller = Set(a.count < b.count ? a : b)
        return (a.count < b.count ? b : a).contains(where: smaller.contains)
    }

    /// `mx-not-in-policy mail.hoster-cdn.net example.com` (at most a few names of each list).
    package var text: String {
        ([rule] + [DisplayLimit.joined(hosts, limit: 3), DisplayLimit.joined(domains, limit: 3)].filter { !$0.isEmpty }).joined(separator: " ")
    }
}
