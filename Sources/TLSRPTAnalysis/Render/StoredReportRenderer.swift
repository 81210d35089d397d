import TLSRPTCore
package import TLSRPTStore

/// What `tlsrpt reports`, `show`, `rejects` and `check` print: the stored rows as a person reads them.
/// Every text that came from a report or an input is sanitised (`UntrustedText`), as in the summaries.
package enum StoredReportRenderer {
    /// `tlsrpt reports`: one line per report; with `conflictsOnly`, only the versions of clashing reports,
    /// each marked with whether it counts.
    package static func list(_ rows: [StoredReportRow], conflictsOnly: Bool = false) -> String {
        var table = TextTable(
            ["ID", "Day", "Sender", "Domains", "Sessions", "Failed", "Report-ID"],
            alignments: [.right, .left, .left, .left, .right, .right, .left])
        table.maxCellWidth = 30
        for row in rows where !conflictsOnly || row.conflict {
            table.add([
                String(row.id), RFC3339Date.day(row.start), row.organization, row.domains.joined(separator: ","),
                NumberFormat.grouped(CountSum.add(row.successful, row.failed)), NumberFormat.grouped(row.failed),
                row.reportID + (row.conflict ? (row.counts ? " (conflict, counts)" : " (conflict, not counted)") : ""),
            ])
        }
        return table.render(indent: "")
    }

    /// `tlsrpt show ID`: where the report came from and what was noted, then its JSON pretty-printed (as
    /// stored when it is not JSON we can parse again).
    package static func detail(_ detail: StoredReportDetail, json: [UInt8]) -> String {
        let row = detail.row
        let p = detail.provenance
        var lines = [
            "Report \(row.id)"
                + (row.conflict
                    ? (row.counts
                        ? " (conflicts with another version of this report; this one counts in summaries)"
                        : " (conflicts with another version of this report, which counts in summaries instead)")
                    : ""),
            "  Organisation:  \(row.organization)",
            "  Report-ID:     \(row.reportID)",
            "  Contact:       \(detail.contactInfo ?? "-")",
            "  Period:        \(RFC3339Date.format(row.start)) to \(RFC3339Date.format(row.end))",
            "  Domains:       \(row.domains.joined(separator: ", "))",
            "  Sessions:      \(NumberFormat.grouped(row.successful)) successful, \(NumberFormat.grouped(row.failed)) failed",
            "  Arrived:       \(p.channel.rawValue) \(p.name) at \(RFC3339Date.format(detail.receivedAt))",
        ]
        if let submitter = p.submitter { lines.append("  Submitter:     \(submitter)") }
        if let domain = p.reportDomain { lines.append("  Report domain: \(domain)") }
        if let id = p.messageID { lines.append("  Message-ID:    \(id)") }
        if let client = p.clientAddress { lines.append("  Client:        \(client) \(p.userAgent ?? "")") }
        for note in detail.notes { lines.append("  Note:          \(note)") }
        let body = (try? JSONParser().parse(json)).map { $0.serialized(pretty: true) } ?? UntrustedText.sanitised(String(decoding: json, as: UTF8.self))
        return lines.map(UntrustedText.sanitised).joined(separator: "\n") + "\n\n" + body
    }

    /// `tlsrpt rejects`: each rejected input, why, and where a person finds it.
    package static func rejections(_ rows: [RejectionRow]) -> String {
        guard !rows.isEmpty else { return "No rejected inputs." }
        var lines: [String] = []
        for row in rows {
            lines.append("\(row.id)  \(RFC3339Date.format(row.receivedAt))  \(row.channel)  \(UntrustedText.sanitised(row.sourceName))")
            lines.append("    reason:  \(UntrustedText.sanitised(row.reason))")
            lines.append(
                "    kept at: \(UntrustedText.sanitised(row.keptAt ?? "-"))\(row.hasRawCopy ? " (tlsrpt rejects --raw \(row.id))" : "")")
        }
        return lines.joined(separator: "\n")
    }

    /// `tlsrpt check`: the verdict and what the database holds (the problems go to standard error).
    package static func check(problems: [String], reports: Int, policies: Int, failures: Int, rejections: Int) -> String {
        "\(problems.isEmpty ? "ok" : "\(problems.count) problem(s)"): \(reports) reports, \(policies) policies, "
            + "\(failures) failure details, \(rejections) rejections"
    }
}
