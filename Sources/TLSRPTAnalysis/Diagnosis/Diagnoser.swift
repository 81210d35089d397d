import TLSRPTStore

/// Runs the rule set over the evidence and puts the findings in reading order (``Finding/isMoreImportant(_:_:)``:
/// the more severe first, then the most failed sessions, the most domains, the most recent).
///
/// A sender-specific finding that concerns the same host and sender as another finding is folded into
/// it as a note: the cause is the other finding's, and "only Microsoft sees it" is context, not a second
/// problem to fix.
package struct Diagnoser: Sendable {
    package var rules: [any DiagnosisRule]

    /// Every rule tlsrpt knows, in no particular order (findings are sorted afterwards).
    package static let standardRules: [any DiagnosisRule] = [
        MXNotInPolicyRule(), CertificateNameMissingRule(), CertificateExpiredRule(), CertificateNotTrustedRule(),
        STARTTLSMissingRule(), ValidationFailureRule(), PolicyFetchErrorRule(), PolicyHostCertificateRule(),
        PolicyInvalidRule(), TLSAMismatchRule(), DNSSECFailureRule(), DANERequiredRule(), UnknownResultTypeRule(),
        SenderSpecificRule(),
    ]

    package init(rules: [any DiagnosisRule] = Diagnoser.standardRules) {
        self.rules = rules
    }

    package func diagnose(_ evidence: DiagnosisEvidence) -> [Finding] {
        let context = DiagnosisContext(evidence: SenderName.merged(evidence))
        var all = rules.flatMap { $0.findings(in: context) }
        for i in all.indices {
            guard let domain = all[i].domain else { continue }
            let owners = context.domainsServed(byMXHost: domain)
            if !owners.isEmpty {
                all[i].notes.append(
                    "\(domain) is an MX host of \(owners.joined(separator: ", ")): senders file DANE reports under the MX host's own name, "
                        + "so these failures concern the mail of \(owners.joined(separator: ", ")).")
            }
        }
        var primary = all.filter { $0.rule != SenderSpecificRule().id }
        // Findings by (domain, host), so that folding a remark looks at its candidates only, not at every
        // finding: one report can make tens of thousands of findings.
        var candidates: [FoldKey: [Int]] = [:]
        for i in primary.indices {
            for domain in primary[i].domains.isEmpty ? [nil] : primary[i].domains.map(Optional.some) {
                for host in primary[i].hosts { candidates[FoldKey(domain: domain, host: host), default: []].append(i) }
            }
        }
        var standalone: [Finding] = []
        for remark in all where remark.rule == SenderSpecificRule().id {
            let sender = remark.senders.map(\.organization)
            var matching = Set<Int>()
            for host in remark.hosts {
                for i in candidates[FoldKey(domain: remark.domain, host: host)] ?? [] {
                    let senders = primary[i].senders.map(\.organization)
                    // A shared finding's senders are those of all its domains: the remark's sender among them is enough.
                    if senders == sender || (primary[i].domains.count > 1 && senders.contains(sender[0])) { matching.insert(i) }
                }
            }
            if matching.isEmpty {
                standalone.append(remark)
                continue
            }
            for i in matching.sorted() {
                // A shared finding takes the remark once, without one domain's numbers: it names no domain.
                let shared = primary[i].domains.count > 1
                let notes = !shared ? remark.notes : primary[i].senders.count == 1 ? [Self.onlySenderNote(sender[0])] : []
                for note in notes where !primary[i].notes.contains(note) { primary[i].notes.append(note) }
            }
        }
        return (primary + standalone).sorted(by: Finding.isMoreImportant)
    }

    /// The sender-specific remark as a finding of several domains carries it.
    static func onlySenderNote(_ sender: String) -> String {
        "Only \(sender) reports these failures; other senders deliver to these domains without failures on this host."
    }

    /// Where a sender-specific remark may fold: a domain of the finding and one of its hosts.
    private struct FoldKey: Hashable {
        var domain: String?
        var host: String
    }
}
