import TLSRPTStore

/// Runs the rule set over the evidence and puts the findings in reading order: most failed sessions
/// first, then the more severe.
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
        // Findings by (domain, senders), so that folding a remark looks at its candidates only, not at
        // every finding: one report can make tens of thousands of findings.
        var candidates: [FoldKey: [Int]] = [:]
        for i in primary.indices { candidates[FoldKey(primary[i]), default: []].append(i) }
        var standalone: [Finding] = []
        for remark in all where remark.rule == SenderSpecificRule().id {
            let hosts = Set(remark.hosts)
            let matching = (candidates[FoldKey(remark)] ?? []).filter { i in !hosts.isDisjoint(with: primary[i].hosts) }
            if matching.isEmpty {
                standalone.append(remark)
            } else {
                for i in matching where !primary[i].notes.contains(remark.notes[0]) { primary[i].notes.append(contentsOf: remark.notes) }
            }
        }
        return (primary + standalone).sorted { a, b in
            if a.failedSessions != b.failedSessions { return a.failedSessions > b.failedSessions }
            if a.severity != b.severity { return a.severity < b.severity }
            return a.headline < b.headline
        }
    }

    /// What a sender-specific remark and the finding it folds into share: the domain and who reports it.
    private struct FoldKey: Hashable {
        var domain: String?
        var senders: [String]

        init(_ finding: Finding) {
            domain = finding.domain
            senders = finding.senders.map(\.organization)
        }
    }
}
