import TLSRPTCore
import TLSRPTStore

/// The result-type catalogue's advice with its placeholders filled in: `HOST` is the MX host a finding
/// names and `DOMAIN` its policy domain (see ``ResultTypeInfo``).
enum CatalogueText {
    static func fixes(_ type: ResultType, host: String?, domain: String?) -> [String] {
        type.info.fixes.map { fill($0, host: host, domain: domain) }
    }

    static func causes(_ type: ResultType, host: String?, domain: String?) -> [String] {
        type.info.likelyCauses.map { fill($0, host: host, domain: domain) }
    }

    static func fill(_ text: String, host: String?, domain: String?) -> String {
        var text = text
        if let host { text = text.replacingOccurrences(of: "HOST", with: host) }
        if let domain { text = text.replacingOccurrences(of: "DOMAIN", with: domain) }
        return text
    }
}

extension DiagnosisContext {
    /// A finding for an aggregate, with severity and impact from the mode its senders applied.
    func finding(
        rule: String, kind: PolicyModeImpact.Kind, _ aggregate: FailureAggregate, headline: String, cause: String, fixes: [String],
        evidence: [String] = []
    ) -> Finding {
        let mode = aggregate.groups.lazy.compactMap(\.stsPolicy).first?.mode ?? mode(for: aggregate.domain)
        let assessed = PolicyModeImpact.assess(kind, mode: mode)
        return Finding(
            rule: rule, severity: assessed.severity, domain: aggregate.domain, hosts: aggregate.hosts,
            resultTypes: aggregate.resultTypes, senders: aggregate.senders, failedSessions: aggregate.failed,
            firstSeen: aggregate.firstSeen, lastSeen: aggregate.lastSeen, policyMode: mode?.rawValue, headline: headline,
            cause: cause, impact: assessed.impact, fixes: fixes, evidence: evidence + aggregate.commonEvidence)
    }
}

extension DiagnosisContext {
    /// The shape most rules share: one finding per (policy domain, receiving host) for the failures of
    /// `type` (or the given subset of them), worded by the rule, with the catalogue's fixes for the type.
    func hostFindings(
        rule: String, type: ResultType, kind: PolicyModeImpact.Kind, groups: [DiagnosisEvidence.FailureGroup]? = nil,
        words: (_ host: String, _ aggregate: FailureAggregate) -> (headline: String, cause: String)
    ) -> [Finding] {
        byDomainAndHost(groups ?? failures([type])).map { aggregate in
            let text = words(aggregate.host ?? "an MX the senders did not name", aggregate)
            return finding(
                rule: rule, kind: kind, aggregate, headline: text.headline, cause: text.cause,
                fixes: CatalogueText.fixes(type, host: aggregate.host, domain: aggregate.domain))
        }
    }

    /// One finding per policy domain for the failures of `type`, for problems with the policy host
    /// `mta-sts.<domain>` rather than an MX.
    func domainFindings(
        rule: String, type: ResultType, words: (_ domain: String, _ aggregate: FailureAggregate) -> (headline: String, cause: String)
    ) -> [Finding] {
        byDomain(failures([type])).map { aggregate in
            let text = words(aggregate.domain ?? "DOMAIN", aggregate)
            return finding(
                rule: rule, kind: .policyRetrieval, aggregate, headline: text.headline, cause: text.cause,
                fixes: CatalogueText.fixes(type, host: nil, domain: aggregate.domain))
        }
    }
}
