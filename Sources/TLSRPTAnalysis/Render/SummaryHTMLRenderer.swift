import Foundation
import TLSRPTCore
import TLSRPTStore

/// `summary --format html`: one self-contained file (inline CSS and SVG, no JavaScript, no external
/// assets) that reads in a mail client or a browser: the verdict, the findings, a daily chart per
/// policy domain, failures per sender, and the tables. Every report field is escaped.
package enum SummaryHTMLRenderer {
    static let style = """
        body{font:15px/1.45 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#222;max-width:760px;margin:24px auto;padding:0 16px}
        h1{font-size:21px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
        h3{font-size:16px;margin:0 0 6px}.meta{color:#666;margin:0 0 16px}
        .finding{border:1px solid #ddd;border-left:6px solid #999;border-radius:4px;padding:10px 14px;margin:12px 0;background:#fafafa}
        .critical{border-left-color:#c8402f}.warning{border-left-color:#e0a020}.notice{border-left-color:#1f4e99}
        .sev{display:inline-block;font-size:11px;font-weight:bold;text-transform:uppercase;color:#fff;border-radius:3px;padding:1px 6px;margin-right:6px;vertical-align:2px}
        .sev.critical{background:#c8402f}.sev.warning{background:#b07800}.sev.notice{background:#1f4e99}
        dl{margin:6px 0;display:grid;grid-template-columns:120px 1fr;gap:3px 10px}dt{font-weight:bold;color:#555}dd{margin:0}
        ul{margin:4px 0 4px 18px;padding:0}code{background:#eee;padding:0 3px;border-radius:3px;font-size:13px}
        table{border-collapse:collapse;margin:6px 0;font-size:14px}th,td{padding:3px 10px;border-bottom:1px solid #e4e4e4;text-align:left}
        td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}svg{max-width:100%;height:auto}
        svg text.ax{font-size:11px;fill:#555}svg text.lb{font-size:12px;fill:#222}
        """

    package static func render(_ report: PeriodReport) -> String {
        let summary = report.summary
        var h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        h += "<title>\(e(report.verdict))</title>\n<style>\n\(style)\n</style>\n</head>\n<body>\n"
        h += "<h1>\(e(report.verdict))</h1>\n"
        h += "<p class=\"meta\">\(e(report.periodLine))</p>\n"
        if summary.reports > 0 {
            if !report.policyChangeLines.isEmpty {
                h += "<ul class=\"changes\">\n"
                for line in report.policyChangeLines { h += "<li><strong>Policy change:</strong> \(e(line))</li>\n" }
                h += "</ul>\n"
            }
            if !report.findings.isEmpty {
                h += "<h2>What to fix</h2>\n"
                let findings = report.display.first(report.findings)
                for (index, finding) in findings.shown.enumerated() { h += findingHTML(finding, number: index + 1) }
                if findings.hidden > 0 {
                    h += "<p>\(e(DisplayLimit.moreLine(findings.hidden, "problems", see: "")))<code>tlsrpt summary --format json</code>, "
                        + "<code>tlsrpt failures</code></p>\n"
                }
            }
            h += "<h2>Daily sessions and failure rate</h2>\n"
            let domains = Dictionary(grouping: report.daily, by: { $0.domain })
            // One chart per domain: with many domains, those of the policy-domain table's first rows.
            let charted = report.display.cut(summary.policyDomains)
            let chartedKeys = Set(charted.shown.map(\.key))
            for domain in domains.keys.filter(chartedKeys.contains).sorted(by: { ($0 ?? "\u{10FFFF}") < ($1 ?? "\u{10FFFF}") }) {
                let name = domain ?? "(no domain named)"
                h += "<h3>\(e(name))</h3>\n<figure class=\"chart daily\">\n"
                h += SVGChart.daily(
                    SVGChart.everyDay(domains[domain]!, from: summary.from, to: summary.to), title: "Daily sessions and failure rate for \(name)")
                h += "\n</figure>\n"
            }
            h += "<h2>Failures per sender</h2>\n<figure class=\"chart senders\">\n\(SVGChart.senders(report.display.cut(summary.senders).shown))\n</figure>\n"
            h += "<h2>Policy domains</h2>\n"
            h += groupTable(
                summary.policyDomains, keyTitle: "Domain", nilKey: "(no domain named)", what: "policy domains", report.display,
                label: { report.domainLabel($0) })
            h += "<h2>Senders</h2>\n" + groupTable(summary.senders, keyTitle: "Sender", nilKey: "-", what: "senders", report.display)
            if !summary.mxHosts.isEmpty {
                h +=
                    "<h2>Receiving MX hosts with failures</h2>\n<table>\n<tr><th>MX host</th><th class=\"n\">Failed</th><th>Result types</th><th>Reported by</th></tr>\n"
                let hosts = report.display.first(summary.mxHosts)
                for host in hosts.shown {
                    h +=
                        "<tr><td>\(e(host.host ?? "(not named)"))</td><td class=\"n\">\(NumberFormat.grouped(host.failedSessions))</td>"
                        + "<td>\(e(DisplayLimit.joined(SummaryTextRenderer.sortedCounts(host.resultTypes).map(\.key))))</td>"
                        + "<td>\(e(DisplayLimit.joined(host.senders)))</td></tr>\n"
                }
                h += "</table>\n"
                if hosts.hidden > 0 {
                    let failed = DisplayLimit.total(summary.mxHosts.dropFirst(hosts.shown.count).map(\.failedSessions))
                    h += "<p>\(e(DisplayLimit.moreLine(hosts.hidden, "MX hosts (\(NumberFormat.grouped(failed)) failed sessions)", see: "tlsrpt failures")))</p>\n"
                }
            }
            if !summary.resultTypes.isEmpty {
                h += "<h2>Result types</h2>\n<table>\n<tr><th>Result type</th><th class=\"n\">Failed</th><th>Category</th></tr>\n"
                let sorted = SummaryTextRenderer.sortedCounts(summary.resultTypes)
                let types = report.display.first(sorted)
                for (name, count) in types.shown {
                    h +=
                        "<tr><td>\(e(name))</td><td class=\"n\">\(NumberFormat.grouped(count))</td>"
                        + "<td>\(ResultType(canonicalising: name).category.rawValue)</td></tr>\n"
                }
                h += "</table>\n"
                if types.hidden > 0 {
                    let failed = DisplayLimit.total(sorted.dropFirst(types.shown.count).map(\.value))
                    h += "<p>\(e(DisplayLimit.moreLine(types.hidden, "result types (\(NumberFormat.grouped(failed)) failed sessions)", see: "tlsrpt failures")))</p>\n"
                }
            }
            if let trend = report.trend {
                let lines = SummaryTextRenderer.trendLines(trend)
                h += "<h2>\(e(lines[0]))</h2>\n<ul>\n"
                for line in lines.dropFirst() { h += "<li>\(e(line.trimmingCharacters(in: .whitespaces)))</li>\n" }
                h += "</ul>\n"
            }
        }
        h += "</body>\n</html>\n"
        return h
    }

    static func findingHTML(_ finding: Finding, number: Int) -> String {
        let severity = finding.severity.name
        var h = "<div class=\"finding \(severity)\">\n"
        h += "<h3><span class=\"sev \(severity)\">\(severity)</span>\(number). \(e(finding.headline))</h3>\n<dl>\n"
        let place = finding.hosts.isEmpty ? "" : " on " + DisplayLimit.joined(finding.hosts)
        let types = DisplayLimit.joined(SummaryTextRenderer.sortedCounts(finding.resultTypes).map { "\($0.key) \(NumberFormat.grouped($0.value))" })
        h += "<dt>What happens</dt><dd>\(e("\(NumberFormat.count(finding.failedSessions, "failed session"))\(place) (\(types))"))</dd>\n"
        if let domains = finding.domainsText { h += "<dt>Domains</dt><dd>\(e(domains))</dd>\n" }
        h += "<dt>Since</dt><dd>\(e(finding.sinceText))</dd>\n"
        h +=
            "<dt>Reported by</dt><dd>"
            + e(DisplayLimit.joined(finding.senders.map { "\($0.organization) (\(NumberFormat.grouped($0.failedSessions)))" })) + "</dd>\n"
        h += "<dt>Impact</dt><dd>\(e(finding.impact))</dd>\n"
        h += "<dt>Likely cause</dt><dd>\(e(finding.cause))</dd>\n"
        for note in finding.notes { h += "<dt>Note</dt><dd>\(e(note))</dd>\n" }
        h += "<dt>What to do</dt><dd><ul>\n"
        for fix in finding.fixes { h += "<li>\(HTMLText.escapeKeepingCode(fix))</li>\n" }
        h += "</ul></dd>\n"
        if !finding.evidence.isEmpty {
            h += "<dt>Evidence</dt><dd><ul>\n"
            for line in finding.evidence { h += "<li>\(e(line))</li>\n" }
            h += "</ul></dd>\n"
        }
        h += "</dl>\n</div>\n"
        return h
    }

    static func groupTable(
        _ groups: [Summary.Group], keyTitle: String, nilKey: String, what: String, _ display: DisplayLimit, label: (String?) -> String? = { $0 }
    ) -> String {
        var h =
            "<table>\n<tr><th>\(keyTitle)</th><th class=\"n\">Reports</th><th class=\"n\">Sessions</th><th class=\"n\">Failed</th>"
            + "<th class=\"n\">Failed %</th><th>Result types</th></tr>\n"
        let cut = display.cut(groups)
        for group in cut.shown {
            h +=
                "<tr><td>\(e(label(group.key) ?? nilKey))</td><td class=\"n\">\(NumberFormat.grouped(group.reports))</td>"
                + "<td class=\"n\">\(NumberFormat.grouped(group.totalSessions))</td><td class=\"n\">\(NumberFormat.grouped(group.failedSessions))</td>"
                + "<td class=\"n\">\(e(NumberFormat.percent(group.failureRate)))</td>"
                + "<td>\(e(SummaryTextRenderer.topTypes(group.resultTypes, limit: 3)))</td></tr>\n"
        }
        h += "</table>\n"
        if cut.hidden > 0 { h += "<p>\(e(SummaryTextRenderer.moreGroupsLine(cut, of: groups, what: what)))</p>\n" }
        return h
    }

    static func e(_ text: String) -> String { HTMLText.escape(text) }
}
