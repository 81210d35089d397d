package import Foundation
package import TLSRPTCore
import TLSRPTStore

/// The evidence as rules query it: failure groups, the MTA-STS policy each domain's senders quoted, and
/// helpers to gather failures by domain and host.
package struct DiagnosisContext: Sendable {
    package let evidence: DiagnosisEvidence
    /// Rules ask per finding; a report may name tens of thousands of domains, so the look-ups are indexed
    /// once here rather than scanned each time (a scan per finding made one 139 KB report take 42 s).
    private let latestPolicies: [String?: DiagnosisEvidence.QuotedSTSPolicy]
    private let sessionsByDomain: [String?: [DiagnosisEvidence.SenderSessions]]

    private let changes: [String?: [PolicyChange]]
    /// Policy domains that are MX hosts of other policy domains, with those domains (sorted).
    package let mxHostOwners: [String: [String]]

    package init(evidence: DiagnosisEvidence) {
        self.evidence = evidence
        var latest: [String?: DiagnosisEvidence.QuotedSTSPolicy] = [:]
        for quoted in evidence.stsPolicies where latest[quoted.domain].map({ Self.isLater(quoted, than: $0) }) ?? true {
            latest[quoted.domain] = quoted
        }
        latestPolicies = latest
        sessionsByDomain = Dictionary(grouping: evidence.sessions, by: \.domain)
        changes = Dictionary(grouping: PolicyChange.detect(evidence), by: \.domain)
        mxHostOwners = Self.mxHostOwners(evidence)
    }

    /// The policy domains `host` is an MX host of (empty when it is none).
    package func domainsServed(byMXHost host: String) -> [String] {
        mxHostOwners[host] ?? []
    }

    /// A policy domain is an MX host of another when that domain's reports name it as a receiving MX host,
    /// or its MTA-STS policy's `mx:` patterns match it. Indexed, not compared pairwise: a report may name
    /// tens of thousands of domains.
    static func mxHostOwners(_ evidence: DiagnosisEvidence) -> [String: [String]] {
        var domains = Set(evidence.sessions.compactMap(\.domain))
        domains.formUnion(evidence.failures.compactMap(\.domain))
        var named: [String: Set<String>] = [:]
        for group in evidence.failures {
            if let host = group.mxHost, let domain = group.domain, host != domain { named[host, default: []].insert(domain) }
        }
        var exact: [String: Set<String>] = [:]
        var wildcard: [String: Set<String>] = [:]
        for quoted in evidence.stsPolicies {
            guard let domain = quoted.domain else { continue }
            for pattern in quoted.policy.mx {
                if pattern.hasPrefix("*.") { wildcard[String(pattern.dropFirst(2)), default: []].insert(domain) }
                else { exact[pattern, default: []].insert(domain) }
            }
        }
        var owners: [String: [String]] = [:]
        for host in domains {
            var found = named[host] ?? []
            found.formUnion(exact[host] ?? [])
            if let dot = host.firstIndex(of: ".") { found.formUnion(wildcard[String(host[host.index(after: dot)...])] ?? []) }
            found.remove(host)
            if !found.isEmpty { owners[host] = found.sorted() }
        }
        return owners
    }

    /// Later: quoted in a later report, then in more reports, then the text; never the store's row order.
    static func isLater(_ a: DiagnosisEvidence.QuotedSTSPolicy, than b: DiagnosisEvidence.QuotedSTSPolicy) -> Bool {
        if a.lastSeen != b.lastSeen { return a.lastSeen > b.lastSeen }
        if a.reports != b.reports { return a.reports > b.reports }
        return a.lines.joined(separator: "\n").utf8.lexicographicallyPrecedes(b.lines.joined(separator: "\n").utf8)
    }

    /// The MTA-STS policy changes of `domain` within the period, oldest first.
    package func policyChanges(for domain: String?) -> [PolicyChange] {
        changes[domain] ?? []
    }

    /// The policy senders quoted most recently for `domain`: the one of the latest report (see ``isLater(_:than:)``).
    package func latestPolicy(for domain: String?) -> DiagnosisEvidence.QuotedSTSPolicy? {
        latestPolicies[domain]
    }

    /// The policy that applied to a failure: the one quoted with it, else the domain's latest.
    package func policy(for group: DiagnosisEvidence.FailureGroup) -> STSPolicy? {
        group.stsPolicy ?? latestPolicy(for: group.domain)?.policy
    }

    /// The MTA-STS mode for a domain, as its senders quoted it last.
    package func mode(for domain: String?) -> STSMode? {
        latestPolicy(for: domain)?.policy.mode
    }

    /// Failure groups of the given result types.
    package func failures(_ types: Set<ResultType>) -> [DiagnosisEvidence.FailureGroup] {
        evidence.failures.filter { types.contains($0.resultType) }
    }

    /// Gathers failure groups per (policy domain, receiving host), largest first.
    package func byDomainAndHost(_ groups: [DiagnosisEvidence.FailureGroup]) -> [FailureAggregate] {
        var buckets: [BucketKey: [DiagnosisEvidence.FailureGroup]] = [:]
        var order: [BucketKey] = []
        for group in groups {
            let key = BucketKey(domain: group.domain, host: group.mxHost)
            if buckets[key] == nil { order.append(key) }
            buckets[key, default: []].append(group)
        }
        return order.map { FailureAggregate(buckets[$0]!) }.sortedBySize()
    }

    /// Gathers failure groups per receiving MX host across policy domains, largest first: the fault of a
    /// host is one problem however many domains it serves (a provider's shared MX with an expired
    /// certificate is one finding listing its domains, not one per customer). Failures that name no host
    /// stay per domain: nothing says they share a cause.
    package func byHost(_ groups: [DiagnosisEvidence.FailureGroup]) -> [FailureAggregate] {
        var buckets: [BucketKey: [DiagnosisEvidence.FailureGroup]] = [:]
        var order: [BucketKey] = []
        for group in groups {
            let key = group.mxHost == nil ? BucketKey(domain: group.domain, host: nil) : BucketKey(domain: nil, host: group.mxHost)
            if buckets[key] == nil { order.append(key) }
            buckets[key, default: []].append(group)
        }
        return order.map { FailureAggregate(buckets[$0]!) }.sortedBySize()
    }

    /// Gathers failure groups per policy domain, largest first.
    package func byDomain(_ groups: [DiagnosisEvidence.FailureGroup]) -> [FailureAggregate] {
        var buckets: [String?: [DiagnosisEvidence.FailureGroup]] = [:]
        var order: [String?] = []
        for group in groups {
            if buckets[group.domain] == nil { order.append(group.domain) }
            buckets[group.domain, default: []].append(group)
        }
        return order.map { FailureAggregate(buckets[$0]!) }.sortedBySize()
    }

    /// Successful sessions other senders than `sender` reported for `domain`.
    package func successes(for domain: String?, excluding sender: String) -> [(sender: String, successful: Int64)] {
        (sessionsByDomain[domain] ?? [])
            .filter { $0.sender != sender && $0.successful > 0 }
            .map { ($0.sender, $0.successful) }
            .sorted { ($0.successful, $1.sender) > ($1.successful, $0.sender) }
    }

    private struct BucketKey: Hashable {
        var domain: String?
        var host: String?
    }
}

/// Failure groups gathered for one finding, with the totals and lists a finding shows.
///
/// A finding counts one set of sessions per sender and domain, as the totals do: where a sender reported the
/// same sessions under two policy types (Microsoft's sts and tlsa), the groups of the type that counts for
/// the totals carry the failures (``DiagnosisEvidence/FailureGroup/countedFailed``). When none of the
/// finding's groups of a sender and domain is of that type (a DANE finding from a report whose sts entry
/// counts), the failures of the one type with the most stand for them, so the finding still shows them,
/// once. Every number of the finding (failed sessions, per sender, per result type, per reason) uses these
/// weights.
package struct FailureAggregate: Sendable {
    package let groups: [DiagnosisEvidence.FailureGroup]
    /// The failed sessions each group adds to the finding, in the order of `groups`.
    package let weights: [Int64]

    package init(_ groups: [DiagnosisEvidence.FailureGroup]) {
        self.groups = groups
        weights = Self.weights(groups)
    }

    static func weights(_ groups: [DiagnosisEvidence.FailureGroup]) -> [Int64] {
        struct Source: Hashable {
            var sender: String
            var domain: String?
        }
        var weights = groups.map(\.countedFailed)
        let bySource = Dictionary(grouping: groups.indices) { Source(sender: groups[$0].sender, domain: groups[$0].domain) }
        for members in bySource.values where members.allSatisfy({ groups[$0].countedFailed == 0 }) {
            var byType: [String: Int64] = [:]
            for i in members { byType[groups[i].policyType, default: 0].addCount(groups[i].failed) }
            guard let standing = byType.max(by: { ($0.value, $1.key) < ($1.value, $0.key) })?.key else { continue }
            for i in members where groups[i].policyType == standing { weights[i] = groups[i].failed }
        }
        return weights
    }

    package var domain: String? { groups.first?.domain }
    /// The policy domains the groups concern, sorted (a group without one adds none).
    package var domains: [String] { distinct(groups.compactMap(\.domain)) }
    /// The aggregate of each domain's groups, in the order of ``domains`` (groups without a domain last).
    package var perDomain: [FailureAggregate] {
        Dictionary(grouping: groups, by: \.domain).sorted { ($0.key ?? "\u{10FFFF}") < ($1.key ?? "\u{10FFFF}") }.map { FailureAggregate($0.value) }
    }
    package var host: String? { groups.first?.mxHost }
    package var hosts: [String] { distinct(groups.compactMap(\.mxHost)) }
    package var failed: Int64 { weights.countSum() }
    /// Since when the problem lasts: the group's first report in the whole store, before the period too.
    package var firstSeen: Date { groups.map(\.firstSeenEver).min() ?? Date(timeIntervalSince1970: 0) }
    /// The end of the latest report in the period that shows it.
    package var lastSeen: Date { groups.map(\.lastSeen).max() ?? Date(timeIntervalSince1970: 0) }

    /// Each group with the failed sessions it adds to the finding.
    private var weighted: Zip2Sequence<[DiagnosisEvidence.FailureGroup], [Int64]> { zip(groups, weights) }
    package var receivingIPs: [String] { distinct(groups.flatMap(\.receivingIPs)) }
    /// At most how many more receiving IPs the reports named than the store kept (see
    /// ``DiagnosisEvidence/FailureGroup/omittedReceivingIPs``).
    package var omittedReceivingIPs: Int64 { groups.map(\.omittedReceivingIPs).countSum() }

    /// Failed sessions per sender, most first.
    package var senders: [Finding.SenderShare] {
        var counts: [String: Int64] = [:]
        for (group, weight) in weighted { counts[group.sender, default: 0].addCount(weight) }
        return counts.map { Finding.SenderShare(organization: $0.key, failedSessions: $0.value) }
            .sorted { ($0.failedSessions, $1.organization) > ($1.failedSessions, $0.organization) }
    }

    package var resultTypes: [String: Int64] {
        var counts: [String: Int64] = [:]
        for (group, weight) in weighted { counts[group.resultType.name, default: 0].addCount(weight) }
        return counts
    }

    /// Distinct failure-reason-code values with their failed sessions, most first.
    package var reasonCodes: [(text: String, failed: Int64)] {
        tally(weighted.compactMap { group, weight in group.reasonCode.map { ($0, weight) } })
    }

    /// Distinct additional-information values with their failed sessions, most first. URLs that differ only
    /// in their query (Google's `…/answer/9276511?id=5578655d`, one id per failure) are one value, the URL
    /// without the query, with the number of variants: a hundred ids are one piece of evidence, not a hundred.
    package var additionalInformation: [(text: String, failed: Int64, variants: Int)] {
        var counts: [String: (failed: Int64, variants: Set<String>)] = [:]
        for (group, weight) in weighted {
            guard let text = group.additionalInformation, !text.isEmpty else { continue }
            let key = Self.withoutQuery(text)
            counts[key, default: (0, [])].failed.addCount(weight)
            if counts[key]!.variants.count < 1_000 { counts[key]!.variants.insert(text) }
        }
        return counts.map { key, value in
            value.variants.count == 1 ? (text: value.variants.first!, failed: value.failed, variants: 1) : (text: key, failed: value.failed, variants: value.variants.count)
        }.sorted { ($0.failed, $1.text) > ($1.failed, $0.text) }
    }

    /// `https://host/path` of `https://host/path?query`; any other text as it is.
    static func withoutQuery(_ text: String) -> String {
        guard text.hasPrefix("https://") || text.hasPrefix("http://"), let mark = text.firstIndex(of: "?") else { return text }
        return String(text[..<mark])
    }

    /// Evidence lines every finding can show: reason codes, additional information, addresses.
    package var commonEvidence: [String] {
        var lines: [String] = []
        for (text, failed) in reasonCodes.prefix(5) {
            lines.append("Reason code: \"\(text)\" (\(NumberFormat.grouped(failed)) sessions)")
        }
        for (text, failed, variants) in additionalInformation.prefix(3) {
            let variety = variants > 1 ? ", \(variants >= 1_000 ? "1,000 or more" : NumberFormat.grouped(Int64(variants))) variants of its query" : ""
            lines.append("Additional information: \"\(text)\" (\(NumberFormat.grouped(failed)) sessions\(variety))")
        }
        if !receivingIPs.isEmpty {
            let omitted = omittedReceivingIPs
            lines.append(
                "Receiving IPs: " + receivingIPs.prefix(6).joined(separator: ", ")
                    + (omitted > 0 ? " and up to \(NumberFormat.grouped(CountSum.add(omitted, Int64(max(receivingIPs.count - 6, 0))))) more" : ""))
        }
        return lines
    }

    private func tally(_ pairs: [(String, Int64)]) -> [(text: String, failed: Int64)] {
        var counts: [String: Int64] = [:]
        for (text, failed) in pairs where !text.isEmpty { counts[text, default: 0].addCount(failed) }
        return counts.map { (text: $0.key, failed: $0.value) }.sorted { ($0.failed, $1.text) > ($1.failed, $0.text) }
    }

    private func distinct(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }.sorted()
    }
}

extension [FailureAggregate] {
    func sortedBySize() -> [FailureAggregate] {
        sorted { ($0.failed, $1.domain ?? "", $1.host ?? "") > ($1.failed, $0.domain ?? "", $0.host ?? "") }
    }
}
