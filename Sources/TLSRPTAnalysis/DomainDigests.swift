package import Foundation
package import TLSRPTStore
import TLSRPTCore

/// One summary per policy domain, each as `summary --domain D` gives it, from a single read of the period.
///
/// A provider mails each customer the digest of its own domain: with 2,000 domains, reading the store once
/// per domain would read every day's rollups 2,000 times, so the period is read once and cut per domain in
/// memory (linear in the rows). A domain's digest holds its own failures only, so a shared host's fault
/// appears in it worded for that domain, and no other customer's domain is named.
package enum DomainDigests {
    /// The digests of the policy domains with reports in the period, by domain name (bytes).
    package static func build(
        store: any ReportStorage, period: ReportPeriod, domain: String? = nil, sender: String? = nil, now: Date = Date(),
        diagnoser: Diagnoser = Diagnoser(), daily: Bool = true
    ) throws(StoreError) -> [(domain: String, report: PeriodReport)] {
        let read = try PeriodRead(store: store, period: period, domain: domain, sender: sender, now: now, daily: daily)
        let rows = read.rows.perDomain()
        let previous = read.previous?.perDomain() ?? [:]
        let probes = Dictionary(grouping: try store.probeStatuses(), by: \.domain)
        return rows.keys.compactMap { $0 }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { name in
            var report = PeriodReportBuilder.assemble(
                rows[name]!, previous: read.previousBounds == nil ? nil : previous[name] ?? SummaryCells(), bounds: read.bounds,
                previousBounds: read.previousBounds, domain: name, diagnoser: diagnoser)
            ProbeFixNote.apply(probes[name] ?? [], to: &report.findings)
            return (name, report)
        }
    }
}

extension SummaryCells {
    /// The cells of each policy domain, with the reports per sender and the dates a domain filter reads
    /// (from the domain's session cells, as the store's rollups give them for `--domain`).
    func perDomain() -> [String?: SummaryCells] {
        var cut: [String?: SummaryCells] = [:]
        for cell in sessions {
            var part = cut[cell.domain, default: SummaryCells()]
            part.sessions.append(cell)
            part.reportsBySender[cell.sender, default: 0].addCount(cell.reports)
            if let start = cell.firstStart {
                let date = Date(timeIntervalSince1970: TimeInterval(start))
                part.earliestStart = min(part.earliestStart ?? date, date)
            }
            if let end = cell.lastEnd {
                let date = Date(timeIntervalSince1970: TimeInterval(end))
                part.latestEnd = max(part.latestEnd ?? date, date)
            }
            cut[cell.domain] = part
        }
        for cell in failures { cut[cell.domain, default: SummaryCells()].failures.append(cell) }
        return cut
    }
}

extension EvidenceRows {
    /// The evidence of each policy domain.
    func perDomain() -> [String?: EvidenceRows] {
        var cut: [String?: EvidenceRows] = [:]
        for row in failures { cut[row.domain, default: EvidenceRows()].failures.append(row) }
        for row in stsPolicies { cut[row.domain, default: EvidenceRows()].stsPolicies.append(row) }
        for row in sessions { cut[row.domain, default: EvidenceRows()].sessions.append(row) }
        return cut
    }
}

extension PeriodRows {
    /// The rows of each policy domain with reports in the period.
    func perDomain() -> [String?: PeriodRows] {
        let cells = cells.perDomain()
        let evidence = evidence.perDomain()
        let daily = Dictionary(grouping: daily, by: \.domain)
        var cut: [String?: PeriodRows] = [:]
        for key in Set(cells.keys).union(evidence.keys) {
            cut[key] = PeriodRows(cells: cells[key] ?? SummaryCells(), evidence: evidence[key] ?? EvidenceRows(), daily: daily[key] ?? [])
        }
        return cut
    }
}
