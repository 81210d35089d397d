import TLSRPTCore
import TLSRPTStore
import Foundation

/// The result-type catalogue's advice with its placeholders filled in: `HOST` is the MX host a finding
/// names and `DOMAIN` its policy domain (see ``ResultTypeInfo``).
enum CatalogueText {
    /// What stands for a host the reports do not name, in commands (`openssl s_client -connect <MX host>:25`).
    static let hostPlaceholder = "<MX host>"
    /// What stands for a domain the reports do not name, in commands and URLs.
    static let domainPlaceholder = "<policy domain>"

    static func fixes(_ type: ResultType, host: String?, domain: String?) -> [String] {
        let filled = type.info.fixes.map { fill($0, host: host, domain: domain) }
        guard host == nil, type.info.fixes.contains(where: { $0.contains("HOST") }) else { return filled }
        // Without a host, the commands cannot name one: say which hosts they are for.
        let hosts = domain.map { "every MX host of \($0) (`dig +short MX \($0)`)" } ?? "every MX host of the domain"
        return ["The reports name no MX host: run the checks below on \(hosts), in place of \(hostPlaceholder)."] + filled
    }

    static func causes(_ type: ResultType, host: String?, domain: String?) -> [String] {
        type.info.likelyCauses.map { fill($0, host: host, domain: domain) }
    }

    /// Fills `HOST` and `DOMAIN`; a missing one becomes a placeholder that reads as one, never the literal word.
    static func fill(_ text: String, host: String?, domain: String?) -> String {
        text.replacingOccurrences(of: "HOST", with: host ?? hostPlaceholder)
            .replacingOccurrences(of: "DOMAIN", with: domain ?? domainPlaceholder)
    }
}

/// How findings name an MX host in prose, including the one the reports leave out.
enum MXHostText {
    static let unnamed = "an MX host the reports do not name"

    static func prose(_ host: String?) -> String { host ?? unnamed }

    /// The TLSA record name of a host, `_25._tcp.mx1.example.com`.
    static func tlsaOwner(_ host: String?) -> String { "_25._tcp." + (host ?? CatalogueText.hostPlaceholder) }

    /// `text` with its first letter upper-case, for a host name (or ``unnamed``) opening a sentence.
    static func sentenceStart(_ text: String) -> String {
        guard text == unnamed, let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }
}

extension DiagnosisContext {
    /// A finding for an aggregate, with severity and impact from the mode its senders applied.
    func finding(
        rule: String, kind: PolicyModeImpact.Kind, _ aggregate: FailureAggregate, headline: String, cause: String, fixes: [String],
        evidence: [String] = []
    ) -> Finding {
        let inForce = policyInForce(kind, aggregate)
        var finding = Finding(
            rule: rule, severity: inForce.severity, domain: aggregate.domain, hosts: aggregate.hosts,
            resultTypes: aggregate.resultTypes, senders: aggregate.senders, failedSessions: aggregate.failed,
            firstSeen: aggregate.firstSeen, lastSeen: aggregate.lastSeen, policyMode: inForce.mode?.rawValue, headline: headline,
            cause: cause, impact: inForce.impact, fixes: fixes, evidence: evidence + aggregate.commonEvidence)
        finding.policyType = inForce.policyType
        if let change = policyChangeNote(aggregate, inForce: inForce) { finding.notes.append(change) }
        return finding
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
            let text = words(MXHostText.prose(aggregate.host), aggregate)
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
            let text = words(aggregate.domain ?? CatalogueText.domainPlaceholder, aggregate)
            return finding(
                rule: rule, kind: .policyRetrieval, aggregate, headline: text.headline, cause: text.cause,
                fixes: CatalogueText.fixes(type, host: nil, domain: aggregate.domain))
        }
    }
}
