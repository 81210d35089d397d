import Foundation
package import TLSRPTAnalysis
import TLSRPTCore

extension ProbeReport {
    /// What the probe adds to an alert (`--probe-on-alert`): whether the alerted problem's cause is seen live
    /// now, by the check that decides it, then the checks that failed (at most three), so the admin reading the
    /// alert knows at once whether the cause the reports suggest is real.
    package func confirmation(of problem: ProblemIdentity) -> [String] {
        let when = RFC3339Date.format(probedAt)
        var lines: [String] = []
        if let status = findings.first(where: { ProblemIdentity($0.finding).isSameProblem(as: problem) }) {
            let verdict =
                switch status.status {
                case .present: "cause confirmed"
                case .gone: "cause no longer seen"
                case .unchecked: "cause not checked"
                }
            lines.append("Probe of \(domain) at \(when): \(verdict) (\(status.check): \(status.detail))")
        } else {
            lines.append("Probe of \(domain) at \(when): no check decides this problem")
        }
        let failed = checks.filter { !$0.ok }
        for check in failed.prefix(3) {
            lines.append("Probe check failed: \(check.name) \(check.host): \(check.detail)")
        }
        if failed.count > 3 { lines.append("… and \(failed.count - 3) more failed checks: tlsrpt probe \(domain)") }
        return lines
    }
}
