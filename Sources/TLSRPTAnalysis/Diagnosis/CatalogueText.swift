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
    ///
    /// An aggregate of several domains (a shared host's fault) is judged by the most severe of its domains'
    /// readings (one domain in `enforce` loses mail, whatever the others publish), and says how the modes
    /// differ when they do.
    func finding(
        rule: String, kind: PolicyModeImpact.Kind, _ aggregate: FailureAggregate, headline: String, cause: String, fixes: [String],
        evidence: [String] = []
    ) -> Finding {
        let parts = aggregate.domains.count > 1 ? aggregate.perDomain : [aggregate]
        let readings = parts.map { policyInForce(kind, $0) }
        let inForce = readings.min { $0.severity < $1.severity }!
        var finding = Finding(
            rule: rule, severity: inForce.severity, domain: aggregate.domain, hosts: aggregate.hosts,
            resultTypes: aggregate.resultTypes, senders: aggregate.senders, failedSessions: aggregate.failed,
            firstSeen: aggregate.firstSeen, lastSeen: aggregate.lastSeen, policyMode: inForce.mode?.rawValue, headline: headline,
            cause: cause, impact: inForce.impact, fixes: fixes, evidence: evidence + aggregate.commonEvidence)
        finding.domains = aggregate.domains
        finding.policyType = inForce.policyType
        if parts.count > 1 {
            if let modes = Self.modesNote(readings) { finding.notes.append(modes) }
        } else if let change = policyChangeNote(aggregate, inForce: inForce) {
            finding.notes.append(change)
        }
        return finding
    }

    /// `MTA-STS mode: enforce for 120 domains, testing for 44.`, when the domains of a shared finding differ.
    static func modesNote(_ readings: [PolicyInForce]) -> String? {
        var counts: [String: Int] = [:]
        for reading in readings { counts[reading.mode?.rawValue ?? "no MTA-STS policy", default: 0] += 1 }
        guard counts.count > 1 else { return nil }
        let parts = counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) for \(NumberFormat.count($0.value, "domain"))" }
        return "MTA-STS mode: " + parts.joined(separator: ", ") + "."
    }
}

extension DiagnosisContext {
    /// The shape most rules share: one finding per receiving host for the failures of `type` (or the given
    /// subset of them), across the domains it serves (see ``byHost(_:)``), worded by the rule, with the
    /// catalogue's fixes for the type.
    func hostFindings(
        rule: String, type: ResultType, kind: PolicyModeImpact.Kind, groups: [DiagnosisEvidence.FailureGroup]? = nil,
        words: (_ host: String, _ aggregate: FailureAggregate) -> (headline: String, cause: String)
    ) -> [Finding] {
        byHost(groups ?? failures([type])).map { aggregate in
            let text = words(MXHostText.prose(aggregate.host), aggregate)
            return finding(
                rule: rule, kind: kind, aggregate, headline: text.headline, cause: text.cause,
                fixes: CatalogueText.fixes(type, host: aggregate.host, domain: aggregate.domain))
        }
    }

    /// One finding per policy domain for the failures of `type`, for problems with the policy host
    /// `mta-sts.<domain>` rather than an MX; where many domains fail alike, one finding for them all (see
    /// ``SharedPolicyHost``).
    func domainFindings(
        rule: String, type: ResultType, words: (_ domain: String, _ aggregate: FailureAggregate) -> (headline: String, cause: String),
        shared: (_ aggregate: FailureAggregate, _ since: String) -> (headline: String, cause: String)
    ) -> [Finding] {
        var findings: [Finding] = []
        for cluster in SharedPolicyHost.clusters(byDomain(failures([type]))) {
            if cluster.count >= SharedPolicyHost.minimumDomains {
                let aggregate = FailureAggregate(cluster.flatMap(\.groups))
                let text = shared(aggregate, RFC3339Date.day(aggregate.firstSeen))
                findings.append(
                    finding(
                        rule: rule, kind: .policyRetrieval, aggregate, headline: text.headline, cause: text.cause,
                        fixes: [SharedPolicyHost.confirmation(aggregate.domains)] + CatalogueText.fixes(type, host: nil, domain: nil)))
                continue
            }
            for aggregate in cluster {
                let text = words(aggregate.domain ?? CatalogueText.domainPlaceholder, aggregate)
                findings.append(
                    finding(
                        rule: rule, kind: .policyRetrieval, aggregate, headline: text.headline, cause: text.cause,
                        fixes: CatalogueText.fixes(type, host: nil, domain: aggregate.domain)))
            }
        }
        return findings
    }
}
