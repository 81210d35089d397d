import TLSRPTCore

/// `--domain`: the policy domains this endpoint collects for. The `rua=https://` URI is public in DNS, so
/// anyone can POST; without a list, reports about other people's domains would fill the database.
public struct PolicyDomainAllowlist: Sendable {
    /// Empty accepts every domain.
    public let domains: Set<String>

    public init(_ domains: Set<String>) {
        self.domains = Set(domains.map(Self.normalise))
    }

    /// As the decoder normalises `policy-domain` (lower case, no trailing dot), so both sides compare equal.
    static func normalise(_ domain: String) -> String { HostName.normalise(domain) }

    /// The first policy domain of `report` that is not accepted, if any. A policy without a domain is not
    /// accepted when a list is set: it cannot be shown to be ours.
    public func firstRefused(in report: Report) -> String?? {
        guard !domains.isEmpty else { return nil }
        for result in report.policies {
            guard let domain = result.policy.domain else { return .some(nil) }
            if !domains.contains(domain) { return .some(domain) }
        }
        return nil
    }
}
