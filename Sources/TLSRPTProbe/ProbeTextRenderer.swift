import Foundation
import TLSRPTAnalysis
import TLSRPTCore

/// `tlsrpt probe` as text: per domain a verdict line, the failing checks with their fix, the passing checks,
/// then the stored findings with their status.
package enum ProbeTextRenderer {
    package static func render(_ reports: [ProbeReport]) -> String {
        reports.map(render).joined(separator: "\n")
    }

    static func render(_ report: ProbeReport) -> String {
        let failing = report.checks.filter { !$0.ok }
        var lines: [String] = []
        let verdict = failing.isEmpty ? "every check passes" : "\(failing.count) problem\(failing.count == 1 ? "" : "s") found"
        lines.append("\(report.domain) — probe of \(RFC3339Date.format(report.probedAt)): \(verdict)")
        for check in ProbeEvaluator.ordered(report.checks) {
            lines.append("  [\(check.ok ? "ok" : "FAIL")] \(check.name) \(check.host): \(UntrustedText.sanitised(check.detail))")
            if let fix = check.fix { lines.append("         fix: \(fix)") }
        }
        if !report.findings.isEmpty {
            lines.append("Findings of the stored reports:")
            let order: [FindingStatus.Status] = [.present, .unchecked, .gone]
            for status in order {
                for item in report.findings where item.status == status {
                    lines.append("  [\(status.rawValue)] \(item.finding.headline)")
                    lines.append("         \(item.check): \(UntrustedText.sanitised(item.detail))")
                    if status == .gone { lines.append("         recorded: the next summary says it was found fixed; reports will confirm") }
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
