import TLSRPTCore

/// The plain-text summary for cron mail: a verdict line, then one table per view (policy domain, sender,
/// receiving MX host, result type). At most 100 columns, no colour.
public enum SummaryTextRenderer {
    public static func render(_ summary: Summary) -> String {
        var out: [String] = []
        let period = "\(summary.from.map(RFC3339Date.day) ?? "-") to \(summary.to.map(RFC3339Date.day) ?? "-")"
        out.append("TLS report summary, \(period)")
        out.append(verdict(summary))
        guard summary.reports > 0 else {
            return out.joined(separator: "\n") + "\n"
        }

        out.append("")
        out.append("Policy domains")
        out.append(groupTable(summary.policyDomains, keyTitle: "Domain", nilKey: "(no domain named)").render())

        out.append("")
        out.append("Senders")
        out.append(groupTable(summary.senders, keyTitle: "Sender", nilKey: "-").render())

        if !summary.mxHosts.isEmpty {
            out.append("")
            out.append("Receiving MX hosts with failures")
            var table = TextTable(["MX host", "Failed", "Result types", "Reported by"], alignments: [.left, .right, .left, .left])
            table.maxCellWidth = 36
            for host in summary.mxHosts {
                table.add([
                    host.host ?? "(not named)", NumberFormat.grouped(host.failedSessions), topTypes(host.resultTypes, limit: 2),
                    host.senders.joined(separator: ", "),
                ])
            }
            out.append(table.render())
        }

        if !summary.resultTypes.isEmpty {
            out.append("")
            out.append("Result types")
            var table = TextTable(["Result type", "Failed", "Category"], alignments: [.left, .right, .left])
            for (name, count) in summary.resultTypes.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) {
                table.add([name, NumberFormat.grouped(count), ResultType(canonicalising: name).category.rawValue])
            }
            out.append(table.render())
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func verdict(_ summary: Summary) -> String {
        guard summary.reports > 0 else { return "No reports in this period." }
        let reports = "\(NumberFormat.grouped(summary.reports)) report\(summary.reports == 1 ? "" : "s")"
        if summary.isClean {
            return "All \(NumberFormat.grouped(summary.totalSessions)) sessions succeeded (\(reports))."
        }
        return "\(NumberFormat.grouped(summary.failedSessions)) of \(NumberFormat.grouped(summary.totalSessions)) sessions failed "
            + "(\(NumberFormat.percent(summary.failureRate))), \(reports)."
    }

    static func groupTable(_ groups: [Summary.Group], keyTitle: String, nilKey: String) -> TextTable {
        var table = TextTable(
            [keyTitle, "Reports", "Sessions", "Failed", "Failed %", "Top result types"],
            alignments: [.left, .right, .right, .right, .right, .left])
        table.maxCellWidth = 34
        for group in groups {
            table.add([
                group.key ?? nilKey, NumberFormat.grouped(group.reports), NumberFormat.grouped(group.totalSessions),
                NumberFormat.grouped(group.failedSessions), NumberFormat.percent(group.failureRate),
                topTypes(group.resultTypes, limit: 2),
            ])
        }
        return table
    }

    static func topTypes(_ counts: [String: Int64], limit: Int) -> String {
        let sorted = counts.filter { $0.value > 0 }.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        guard !sorted.isEmpty else { return "-" }
        var text = sorted.prefix(limit).map(\.key).joined(separator: ", ")
        if sorted.count > limit { text += " +\(sorted.count - limit)" }
        return text
    }
}
