package import Foundation
import TLSRPTCore
package import TLSRPTStore

/// "The probe of <date> found this fixed; reports will confirm": a finding whose cause the last
/// `tlsrpt probe` no longer saw, after the last report that showed it.
///
/// The note stays only while no later report shows the failure again: a finding last seen after the probe
/// ran is still open, whatever the probe said.
package enum ProbeFixNote {
    package static func text(_ probedAt: Date) -> String {
        "The probe of \(RFC3339Date.day(probedAt)) found this fixed; reports will confirm."
    }

    /// Adds the note to each finding that a later probe found `gone` for every domain it covers.
    package static func apply(_ statuses: [ProbeStatusRecord], to findings: inout [Finding]) {
        guard !statuses.isEmpty else { return }
        var latest: [Key: ProbeStatusRecord] = [:]
        for status in statuses { latest[Key(rule: status.rule, domain: status.domain, hosts: status.hosts)] = status }
        for i in findings.indices {
            let finding = findings[i]
            guard !finding.domains.isEmpty else { continue }
            let hosts = finding.hosts.sorted()
            let probes = finding.domains.map { latest[Key(rule: finding.rule, domain: $0, hosts: hosts)] }
            guard probes.allSatisfy({ $0?.status == "gone" && $0!.probedAt > finding.lastSeen }) else { continue }
            let when = probes.compactMap { $0?.probedAt }.min()!
            findings[i].notes.append(text(when))
        }
    }

    private struct Key: Hashable {
        var rule: String
        var domain: String
        var hosts: [String]
    }
}

extension PeriodReport {
    /// Notes the findings a probe found fixed (see ``ProbeFixNote``).
    mutating func noteProbes(from store: any ReportStorage) throws(StoreError) {
        ProbeFixNote.apply(try store.probeStatuses(domain: domainFilter), to: &findings)
    }
}
