import Foundation
import TLSRPTCore

/// `summary --format markdown`: the text summary's structure for a wiki, a ticket or a chat message.
/// Report fields are escaped so that a sender cannot inject markup (links, images, HTML).
public enum SummaryMarkdownRenderer {
    public static func render(_ report: PeriodReport) -> String {
        let summary = report.summary
        var out: [String] = ["# " + escape(report.verdict), ""]
        out.append(
            "Period \(PeriodReport.days(from: summary.from, to: summary.to)), \(NumberFormat.grouped(summary.reports)) report\(summary.reports == 1 ? "" : "s") "
                + "from \(summary.senders.count) sender\(summary.senders.count == 1 ? "" : "s").")
        guard summary.reports > 0 else { return out.joined(separator: "\n") + "\n" }

        if !report.findings.isEmpty {
            out += ["", "## What to fix"]
            for (index, finding) in report.findings.enumerated() {
                out += ["", "### \(index + 1). \(escape(finding.headline)) (\(finding.severity.name))", ""]
                let place = finding.hosts.isEmpty ? "" : " on " + finding.hosts.map { "`\(code($0))`" }.joined(separator: ", ")
                let types = SummaryTextRenderer.sortedCounts(finding.resultTypes).map { "\(escape($0.key)) \(NumberFormat.grouped($0.value))" }
                    .joined(separator: ", ")
                out.append("- **What happens:** \(NumberFormat.grouped(finding.failedSessions)) failed sessions\(place) (\(types))")
                out.append("- **Since:** \(RFC3339Date.day(finding.firstSeen)), last seen \(RFC3339Date.day(finding.lastSeen))")
                out.append(
                    "- **Reported by:** "
                        + finding.senders.map { "\(escape($0.organization)) (\(NumberFormat.grouped($0.failedSessions)))" }.joined(separator: ", "))
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
        }

        out += ["", "## Policy domains", ""]
        out += groupTable(summary.policyDomains, keyTitle: "Domain", nilKey: "(no domain named)")
        out += ["", "## Senders", ""]
        out += groupTable(summary.senders, keyTitle: "Sender", nilKey: "-")
        if !summary.mxHosts.isEmpty {
            out += ["", "## Receiving MX hosts with failures", "", "| MX host | Failed | Result types | Reported by |", "|---|---:|---|---|"]
            for host in summary.mxHosts {
                out.append(
                    "| \(cell(host.host ?? "(not named)")) | \(NumberFormat.grouped(host.failedSessions)) | "
                        + "\(cell(SummaryTextRenderer.sortedCounts(host.resultTypes).map(\.key).joined(separator: ", "))) | "
                        + "\(cell(host.senders.joined(separator: ", "))) |")
            }
        }
        if !summary.resultTypes.isEmpty {
            out += ["", "## Result types", "", "| Result type | Failed | Category |", "|---|---:|---|"]
            for (name, count) in SummaryTextRenderer.sortedCounts(summary.resultTypes) {
                out.append("| \(cell(name)) | \(NumberFormat.grouped(count)) | \(ResultType(canonicalising: name).category.rawValue) |")
            }
        }
        if let trend = report.trend {
            let lines = SummaryTextRenderer.trendLines(trend)
            out += ["", "## " + escape(lines[0]), ""]
            out += lines.dropFirst().map { "- " + escape($0.trimmingCharacters(in: .whitespaces)) }
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func groupTable(_ groups: [Summary.Group], keyTitle: String, nilKey: String) -> [String] {
        var lines = ["| \(keyTitle) | Reports | Sessions | Failed | Failed % | Result types |", "|---|---:|---:|---:|---:|---|"]
        for group in groups {
            lines.append(
                "| \(cell(group.key ?? nilKey)) | \(NumberFormat.grouped(group.reports)) | \(NumberFormat.grouped(group.totalSessions)) | "
                    + "\(NumberFormat.grouped(group.failedSessions)) | \(NumberFormat.percent(group.failureRate)) | "
                    + "\(cell(SummaryTextRenderer.topTypes(group.resultTypes, limit: 3))) |")
        }
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
