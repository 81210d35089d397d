package import Foundation
package import TLSRPTAnalysis
package import TLSRPTStore

/// The outcome of probing one domain: its checks and the status of each stored finding.
package struct ProbeReport: Sendable, Equatable {
    package var domain: String
    package var probedAt: Date
    package var checks: [ProbeCheck]
    package var findings: [FindingStatus]

    package init(domain: String, probedAt: Date, checks: [ProbeCheck], findings: [FindingStatus]) {
        self.domain = domain
        self.probedAt = probedAt
        self.checks = checks
        self.findings = findings
    }

    /// Judges gathered facts against the stored findings of the domain.
    package static func evaluate(_ facts: DomainFacts, findings: [Finding], now: Date) -> ProbeReport {
        let checks = ProbeEvaluator(now: now).checks(facts)
        return ProbeReport(domain: facts.domain, probedAt: now, checks: checks, findings: FindingJudge.judge(findings, facts: facts, checks: checks))
    }

    /// Whether the probe found a problem: a failing check, or a finding whose cause is present.
    package var hasProblem: Bool {
        checks.contains { !$0.ok } || findings.contains { $0.status == .present }
    }
}

extension ProbeReport {
    /// What the store keeps of this probe: one status per finding and domain it covers.
    package var statusRecords: [ProbeStatusRecord] {
        findings.flatMap { item in
            item.finding.domains.map { domain in
                ProbeStatusRecord(
                    rule: item.finding.rule, domain: domain, hosts: item.finding.hosts, status: item.status.rawValue, check: item.check,
                    detail: item.detail, probedAt: probedAt)
            }
        }
    }
}
