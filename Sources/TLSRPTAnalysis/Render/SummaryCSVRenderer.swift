import TLSRPTCore
import TLSRPTStore

/// `summary --format csv`: one row per (policy domain, sender, result type, receiving MX) with its
/// failed sessions, for spreadsheets and scripts.
///
/// Every row also carries the (policy domain, sender) session totals, so a pair without failures still
/// appears (with empty result type and host) and rates can be computed in the sheet. Sum
/// `failed_sessions` for failure-detail counts; take the pair totals once per pair.
package enum SummaryCSVRenderer {
    package static let header = [
        "from", "to", "policy_domain", "sender", "result_type", "receiving_mx_host", "failed_sessions",
        "sender_domain_successful_sessions", "sender_domain_failed_sessions",
    ]

    package static func render(_ report: PeriodReport) -> String {
        let from = report.summary.from.map(RFC3339Date.format) ?? ""
        let to = report.summary.to.map(RFC3339Date.format) ?? ""
        var out = CSVField.record(header)
        struct Pair: Hashable {
            var domain: String?
            var sender: String
        }
        var totals: [Pair: SummaryCells.SessionCell] = [:]
        for cell in report.cells.sessions { totals[Pair(domain: cell.domain, sender: cell.sender)] = cell }
        var failures: [Pair: [SummaryCells.FailureCell]] = [:]
        for cell in report.cells.failures { failures[Pair(domain: cell.domain, sender: cell.sender), default: []].append(cell) }
        let pairs = Set(totals.keys).union(failures.keys).sorted { ($0.domain ?? "\u{10FFFF}", $0.sender) < ($1.domain ?? "\u{10FFFF}", $1.sender) }
        for pair in pairs {
            let total = totals[pair]
            let successful = String(total?.successful ?? 0)
            let failed = String(total?.failed ?? 0)
            let cells = (failures[pair] ?? []).sorted {
                ($0.failed, $1.resultType, $1.mxHost ?? "") > ($1.failed, $0.resultType, $0.mxHost ?? "")
            }
            if cells.isEmpty {
                out += CSVField.record([from, to, pair.domain ?? "", pair.sender, "", "", "0", successful, failed])
            }
            for cell in cells {
                out += CSVField.record([
                    from, to, pair.domain ?? "", pair.sender, cell.resultType, cell.mxHost ?? "", String(cell.failed), successful, failed,
                ])
            }
        }
        return out
    }
}
