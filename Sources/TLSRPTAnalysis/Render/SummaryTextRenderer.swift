import Foundation
import TLSRPTCore

/// The plain-text summary for cron mail: the verdict line first, then "What to fix" (the findings,
/// most failed sessions first), then one table per view (policy domain, sender, receiving MX host,
/// result type), then the trend against the previous period. At most 100 columns, no colour, numbers
/// with thousands separators, dates as YYYY-MM-DD.
package enum SummaryTextRenderer {
    package static let width = 100

    package static func render(_ report: PeriodReport) -> String {
        let summary = report.summary
        var out: [String] = [UntrustedText.sanitised(report.verdict)]
        out.append(report.periodLine)
        guard summary.reports > 0 else { return out.joined(separator: "\n") + "\n" }
        for line in report.policyChangeLines {
            out += TextWrap.wrap(UntrustedText.sanitised(line), width: width, first: "Policy change: ", rest: "  ")
        }

        if !report.findings.isEmpty {
            out.append("")
            out.append("What to fix")
            out.append("===========")
            let findings = report.display.first(report.findings)
            for (index, finding) in findings.shown.enumerated() {
                out.append("")
                out.append(contentsOf: findingLines(finding, number: index + 1))
            }
            if findings.hidden > 0 {
                out.append("")
                out.append(DisplayLimit.moreLine(findings.hidden, "problems", see: "tlsrpt summary --format json, tlsrpt failures"))
            }
        }

        out.append("")
        out.append("Policy domains")
        out.append(contentsOf: groupTable(summary.policyDomains, keyTitle: "Domain", nilKey: "(no domain named)", what: "policy domains", report.display))
        // Table cells are clipped; the attribution of MX-host policy domains gets lines of its own.
        for host in report.display.cut(summary.policyDomains).shown.compactMap(\.key) where report.mxHostOwners[host] != nil {
            out += TextWrap.wrap(
                UntrustedText.sanitised(report.domainLabel(host)) + ": DANE reports filed under the MX host's own name", width: width,
                first: "  ", rest: "    ")
        }

        out.append("")
        out.append("Senders")
        out.append(contentsOf: groupTable(summary.senders, keyTitle: "Sender", nilKey: "-", what: "senders", report.display))

        if !summary.mxHosts.isEmpty {
            out.append("")
            out.append("Receiving MX hosts with failures")
            var table = TextTable(["MX host", "Failed", "Result types", "Reported by"], alignments: [.left, .right, .left, .left])
            table.maxCellWidth = 26
            let hosts = report.display.first(summary.mxHosts)
            for host in hosts.shown {
                table.add([
                    host.host ?? "(not named)", NumberFormat.grouped(host.failedSessions), topTypes(host.resultTypes, limit: 2),
                    DisplayLimit.joined(host.senders, limit: 3),
                ])
            }
            out.append(table.render())
            if hosts.hidden > 0 {
                let failed = DisplayLimit.total(summary.mxHosts.dropFirst(hosts.shown.count).map(\.failedSessions))
                out.append(
                    "  " + DisplayLimit.moreLine(hosts.hidden, "MX hosts (\(NumberFormat.grouped(failed)) failed sessions)", see: "tlsrpt failures"))
            }
        }

        if !summary.resultTypes.isEmpty {
            out.append("")
            out.append("Result types")
            var table = TextTable(["Result type", "Failed", "Category"], alignments: [.left, .right, .left])
            let types = report.display.first(sortedCounts(summary.resultTypes))
            for (name, count) in types.shown {
                table.add([name, NumberFormat.grouped(count), ResultType(canonicalising: name).category.rawValue])
            }
            out.append(table.render())
            if types.hidden > 0 {
                let failed = DisplayLimit.total(sortedCounts(summary.resultTypes).dropFirst(types.shown.count).map(\.value))
                out.append(
                    "  " + DisplayLimit.moreLine(types.hidden, "result types (\(NumberFormat.grouped(failed)) failed sessions)", see: "tlsrpt failures"))
            }
        }

        if let trend = report.trend {
            out.append("")
            out.append(contentsOf: trendLines(trend))
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// One finding: headline, then labelled lines with a hanging indent.
    static func findingLines(_ finding: Finding, number: Int) -> [String] {
        var lines: [String] = []
        let tag = "\(number). [\(finding.severity.name.uppercased())] "
        lines += TextWrap.wrap(finding.headline, width: width, first: tag, rest: String(repeating: " ", count: tag.count))
        let label = { (name: String) in "   " + name.padding(toLength: 14, withPad: " ", startingAt: 0) }
        let hang = String(repeating: " ", count: 17)
        let place = finding.hosts.isEmpty ? "" : " on " + DisplayLimit.joined(finding.hosts)
        let types = DisplayLimit.joined(sortedCounts(finding.resultTypes).map { "\($0.key) \(NumberFormat.grouped($0.value))" })
        lines += TextWrap.wrap(
            "\(NumberFormat.count(finding.failedSessions, "failed session"))\(place) (\(types))",
            width: width, first: label("What happens:"), rest: hang)
        if let domains = finding.domainsText {
            lines += TextWrap.wrap(UntrustedText.sanitised(domains), width: width, first: label("Domains:"), rest: hang)
        }
        lines.append(label("Since:") + finding.sinceText)
        lines += TextWrap.wrap(
            DisplayLimit.joined(finding.senders.map { "\($0.organization) (\(NumberFormat.grouped($0.failedSessions)))" }),
            width: width, first: label("Reported by:"), rest: hang)
        lines += TextWrap.wrap(finding.impact, width: width, first: label("Impact:"), rest: hang)
        lines += TextWrap.wrap(finding.cause, width: width, first: label("Likely cause:"), rest: hang)
        for note in finding.notes {
            lines += TextWrap.wrap(note, width: width, first: label("Note:"), rest: hang)
        }
        lines.append(label("What to do:").trimmingTrailingSpaces)
        for fix in finding.fixes {
            lines += TextWrap.wrap(fix, width: width, first: "     - ", rest: "       ")
        }
        if !finding.evidence.isEmpty {
            lines.append(label("Evidence:").trimmingTrailingSpaces)
            for line in finding.evidence {
                lines += TextWrap.wrap(line, width: width, first: "     - ", rest: "       ")
            }
        }
        return lines
    }

    static func trendLines(_ trend: Trend) -> [String] {
        var lines = ["Trend against the previous period, \(PeriodReport.days(from: trend.previousFrom, to: trend.previousTo))"]
        if trend.previousReports == 0 {
            lines.append("  No reports in the previous period to compare with.")
        } else {
            lines.append(
                "  Failure rate: \(NumberFormat.percent(trend.currentFailureRate)) now, \(NumberFormat.percent(trend.previousFailureRate)) before "
                    + "(\(NumberFormat.points(trend.rateChangePoints)))")
        }
        if !trend.newResultTypes.isEmpty {
            lines += TextWrap.wrap(
                DisplayLimit.joined(trend.newResultTypes.map { "\($0.name) (\(NumberFormat.grouped($0.failed)))" }),
                width: width, first: "  New result types: ", rest: "    ")
        }
        if !trend.newFailingSenders.isEmpty {
            lines += TextWrap.wrap(
                DisplayLimit.joined(trend.newFailingSenders.map { "\($0.organization) (\(NumberFormat.grouped($0.failed)))" }),
                width: width, first: "  Senders failing now, not before: ", rest: "    ")
        }
        if !trend.resolvedResultTypes.isEmpty {
            lines += TextWrap.wrap(DisplayLimit.joined(trend.resolvedResultTypes), width: width, first: "  No longer seen: ", rest: "    ")
        }
        if trend.newResultTypes.isEmpty && trend.newFailingSenders.isEmpty && trend.previousReports > 0 {
            lines.append("  No new result types or failing senders.")
        }
        return lines
    }

    static func groupTable(_ groups: [Summary.Group], keyTitle: String, nilKey: String, what: String, _ display: DisplayLimit) -> [String] {
        var table = TextTable(
            [keyTitle, "Reports", "Sessions", "Failed", "Failed %", "Top result types"],
            alignments: [.left, .right, .right, .right, .right, .left])
        table.maxCellWidth = 27
        let cut = display.cut(groups)
        for group in cut.shown {
            table.add([
                group.key ?? nilKey, NumberFormat.grouped(group.reports), NumberFormat.grouped(group.totalSessions),
                NumberFormat.grouped(group.failedSessions), NumberFormat.percent(group.failureRate),
                topTypes(group.resultTypes, limit: 1),
            ])
        }
        guard cut.hidden > 0 else { return [table.render()] }
        return [table.render(), "  " + moreGroupsLine(cut, of: groups, what: what)]
    }

    /// `… and 1,990 more policy domains (12 failed sessions of 3,400): tlsrpt summary --format json`.
    static func moreGroupsLine(_ cut: DisplayLimit.Cut<Summary.Group>, of groups: [Summary.Group], what: String) -> String {
        let shownKeys = Set(cut.shown.map(\.key))
        let hidden = groups.filter { !shownKeys.contains($0.key) }
        let failed = DisplayLimit.total(hidden.map(\.failedSessions))
        let sessions = DisplayLimit.total(hidden.map(\.totalSessions))
        return DisplayLimit.moreLine(
            cut.hidden, "\(what) (\(NumberFormat.grouped(failed)) failed of \(NumberFormat.grouped(sessions)) sessions)",
            see: "tlsrpt summary --format json")
    }

    static func topTypes(_ counts: [String: Int64], limit: Int) -> String {
        let sorted = sortedCounts(counts.filter { $0.value > 0 })
        guard !sorted.isEmpty else { return "-" }
        var text = sorted.prefix(limit).map(\.key).joined(separator: ", ")
        if sorted.count > limit { text += " +\(sorted.count - limit)" }
        return text
    }

    static func sortedCounts(_ counts: [String: Int64]) -> [(key: String, value: Int64)] {
        counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
