import Foundation
import TLSRPTCore

/// `summary --format markdown`: the text summary's structure for a wiki, a ticket or a chat message.
/// Report fields are escaped so that a sender cannot inject markup (links, images, HTML).
package enum SummaryMarkdownRenderer {
    package static func render(_ report: PeriodReport) -> String {
        let summary = report.summary
        var out: [String] = ["# " + escape(report.verdict), ""]
        out.append(report.periodLine)
        guard summary.reports > 0 else { return out.joined(separator: "\n") + "\n" }
        if !report.policyChangeLines.isEmpty {
            out.append("")
            for line in report.policyChangeLines { out.append("- **Policy change:** " + escape(line)) }
        }

        if !report.findings.isEmpty {
            out += ["", "## What to fix"]
            let findings = report.display.first(report.findings)
            for (index, finding) in findings.shown.enumerated() {
                out += ["", "### \(index + 1). \(escape(finding.headline)) (\(finding.severity.name))", ""]
                let place = finding.hosts.isEmpty ? "" : " on " + DisplayLimit.joined(finding.hosts.map { "`\(code($0))`" })
                let types = DisplayLimit.joined(
                    SummaryTextRenderer.sortedCounts(finding.resultTypes).map { "\(escape($0.key)) \(NumberFormat.grouped($0.value))" })
                out.append("- **What happens:** \(NumberFormat.count(finding.failedSessions, "failed session"))\(place) (\(types))")
                if let domains = finding.domainsText { out.append("- **Domains:** \(escape(domains))") }
                out.append("- **Since:** \(finding.sinceText)")
                out.append(
                    "- **Reported by:** "
                        + DisplayLimit.joined(finding.senders.map { "\(escape($0.organization)) (\(NumberFormat.grouped($0.failedSessions)))" }))
                out.append("- **Impact:** \(escape(finding.impact))")
                out.append("- **Likely cause:** \(escape(finding.cause))")
                for note in finding.notes { out.append("- **Note:** \(escape(note))") }
                out.append("- **What to do:**")
                for fix in finding.fixes { out.append("  - \(escapeKeepingCode(fix))") }
                if !finding.evidence.isEmpty {
                    out.append("- **Evidence:**")
                    for line in finding.evidence { out.append("  - \(escape(line))") }
                }
            }
            if findings.hidden > 0 {
                out += ["", escape(DisplayLimit.moreLine(findings.hidden, "problems", see: "")) + "`tlsrpt summary --format json`, `tlsrpt failures`"]
            }
        }

        out += ["", "## Policy domains", ""]
        out += groupTable(
            summary.policyDomains, keyTitle: "Domain", nilKey: "(no domain named)", what: "policy domains", report.display,
            label: { report.domainLabel($0) })
        out += ["", "## Senders", ""]
        out += groupTable(summary.senders, keyTitle: "Sender", nilKey: "-", what: "senders", report.display)
        if !summary.mxHosts.isEmpty {
            out += ["", "## Receiving MX hosts with failures", "", "| MX host | Failed | Result types | Reported by |", "|---|---:|---|---|"]
            let hosts = report.display.first(summary.mxHosts)
            for host in hosts.shown {
                out.append(
                    "| \(cell(host.host ?? "(not named)")) | \(NumberFormat.grouped(host.failedSessions)) | "
                        + "\(cell(DisplayLimit.joined(SummaryTextRenderer.sortedCounts(host.resultTypes).map(\.key)))) | "
                        + "\(cell(DisplayLimit.joined(host.senders))) |")
            }
            if hosts.hidden > 0 {
                let failed = DisplayLimit.total(summary.mxHosts.dropFirst(hosts.shown.count).map(\.failedSessions))
                out += ["", escape(DisplayLimit.moreLine(hosts.hidden, "MX hosts (\(NumberFormat.grouped(failed)) failed sessions)", see: "tlsrpt failures"))]
            }
        }
        if !summary.resultTypes.isEmpty {
            out += ["", "## Result types", "", "| Result type | Failed | Category |", "|---|---:|---|"]
            let sorted = SummaryTextRenderer.sortedCounts(summary.resultTypes)
            let types = report.display.first(sorted)
            for (name, count) in types.shown {
                out.append("| \(cell(name)) | \(NumberFormat.grouped(count)) | \(ResultType(canonicalising: name).category.rawValue) |")
            }
            if types.hidden > 0 {
                let failed = DisplayLimit.total(sorted.dropFirst(types.shown.count).map(\.value))
                out += ["", escape(DisplayLimit.moreLine(types.hidden, "result types (\(NumberFormat.grouped(failed)) failed sessions)", see: "tlsrpt failures"))]
            }
        }
        if let trend = report.trend {
            let lines = SummaryTextRenderer.trendLines(trend)
            out += ["", "## " + escape(lines[0]), ""]
            out += lines.dropFirst().map { "- " + escape($0.trimmingCharacters(in: .whitespaces)) }
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func groupTable(
        _ groups: [Summary.Group], keyTitle: String, nilKey: String, what: String, _ display: DisplayLimit, label: (String?) -> String? = { $0 }
    ) -> [String] {
        var lines = ["| \(keyTitle) | Reports | Sessions | Failed | Failed % | Result types |", "|---|---:|---:|---:|---:|---|"]
        let cut = display.cut(groups)
        for group in cut.shown {
            lines.append(
                "| \(cell(label(group.key) ?? nilKey)) | \(NumberFormat.grouped(group.reports)) | \(NumberFormat.grouped(group.totalSessions)) | "
                    + "\(NumberFormat.grouped(group.failedSessions)) | \(NumberFormat.percent(group.failureRate)) | "
                    + "\(cell(SummaryTextRenderer.topTypes(group.resultTypes, limit: 3))) |")
        }
        if cut.hidden > 0 { lines += ["", escape(SummaryTextRenderer.moreGroupsLine(cut, of: groups, what: what))] }
        return lines
    }

    /// Backslash-escapes the characters that make emphasis, code, links, HTML or table cells, and drops
    /// control characters. Parentheses need no escape once `[` and `]` are escaped (no link can form).
    static func escape(_ text: String) -> String {
        var out = ""
        for ch in UntrustedText.sanitised(text) {
            if "\\`*_{}[]<>#|~".contains(ch) { out.append("\\") }
            out.append(ch)
        }
        return out
    }

    /// Like ``escape(_:)``, but keeps the catalogue's `command` spans (our own text) as code.
    static func escapeKeepingCode(_ text: String) -> String {
        text.split(separator: "`", omittingEmptySubsequences: false).enumerated().map { index, part in
            index.isMultiple(of: 2) ? escape(String(part)) : "`" + code(String(part)) + "`"
        }.joined()
    }

    static func code(_ text: String) -> String {
        UntrustedText.sanitised(text).replacingOccurrences(of: "`", with: "'")
    }

    static func cell(_ text: String) -> String { escape(text) }
}
