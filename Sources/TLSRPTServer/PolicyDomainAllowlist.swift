package import TLSRPTCore

/// `--domain`: the policy domains this endpoint collects for. The `rua=https://` URI is public in DNS, so
/// anyone can POST; without a list, reports about other people's domains would fill the database.
///
/// A report passes only when it shows it is ours: at least one policy, and every policy naming a listed
/// domain. A report with `"policies": []` names no domain at all, so it cannot pass a list (it would
/// otherwise be a way around it).
package struct PolicyDomainAllowlist: Sendable {
    /// Empty accepts every domain.
    package let domains: Set<String>

    /// Why a report is not accepted; `message` is the one-line reason the sender gets with its 422.
    package enum Refusal: Sendable, Equatable {
        case noPolicies
        case policyWithoutDomain
        case domainNotListed(String)
        /// `--domain-from-path`: the path names no domain, or another than the report.
        case notThePathsDomain(String, path: String)
        case noDomainInPath

        package var message: String {
            switch self {
            case .noPolicies:
                "the report has no policies, and this endpoint collects reports only for named policy domains"
            case .policyWithoutDomain:
                "a policy has no policy-domain, and this endpoint collects reports only for named policy domains"
            case .domainNotListed(let domain):
                "this endpoint does not collect reports for the policy domain \(UntrustedText.sanitised(domain, limit: 253))"
            case .notThePathsDomain(let domain, let path):
                "the report is about \(UntrustedText.sanitised(domain, limit: 253)), but was posted to the URI of "
                    + UntrustedText.sanitised(path, limit: 253)
            case .noDomainInPath:
                "this endpoint takes the policy domain from the path: POST to the URI your domain's TLSRPT record names"
            }
        }
    }

    package init(_ domains: Set<String>) {
        self.domains = Set(domains.map(Self.normalise))
    }

    /// As the decoder normalises `policy-domain` (lower case, no trailing dot), so both sides compare equal.
    static func normalise(_ domain: String) -> String { HostName.normalise(domain) }

    /// `--domain-from-path`: why `report`, posted to the URI of `pathDomain`, is not accepted, or nil when every
    /// policy is about that domain.
    package static func refusal(of report: Report, pathDomain: String) -> Refusal? {
        guard !pathDomain.isEmpty else { return .noDomainInPath }
        guard !report.policies.isEmpty else { return .noPolicies }
        for result in report.policies {
            guard let domain = result.policy.domain else { return .policyWithoutDomain }
            if domain != pathDomain { return .notThePathsDomain(domain, path: pathDomain) }
        }
        return nil
    }

    /// Why `report` is not accepted, or nil when it is (always, when no list is set).
    package func refusal(of report: Report) -> Refusal? {
        guard !domains.isEmpty else { return nil }
        guard !report.policies.isEmpty else { return .noPolicies }
        for result in report.policies {
            guard let domain = result.policy.domain else { return .policyWithoutDomain }
            if !domains.contains(domain) { return .domainNotListed(domain) }
        }
        return nil
    }
}
