import Foundation
import TLSRPTCore
import TLSRPTStore

/// Everything `tlsrpt summary` shows for a period: the numbers, the diagnoses, the trend against the
/// previous period, and the daily series for charts. Renderers take this and nothing else.
public struct PeriodReport: Sendable {
    public var summary: Summary
    /// Findings, most failed sessions first.
    public var findings: [Finding]
    /// Against the previous period of equal length; nil for `--all`.
    public var trend: Trend?
    /// Counted sessions per policy domain and day.
    public var daily: [DailyTotals]
    /// The summary's cells, for the CSV rows.
    public var cells: SummaryCells
    /// The `--domain` filter, when one was given.
    public var domainFilter: String?
    /// How much of the findings and tables the formats for people show (`--top`).
    public var display: DisplayLimit = .standard

    public init(
        summary: Summary, findings: [Finding], trend: Trend?, daily: [DailyTotals], cells: SummaryCells, domainFilter: String? = nil
    ) {
        self.summary = summary
        self.findings = findings
        self.trend = trend
        self.daily = daily
        self.cells = cells
        self.domainFilter = domainFilter
    }

    /// The period as people read it: first and last day, both inclusive (`to` is exclusive, so a period
    /// ending at midnight ends on the day before).
    public static func days(from: Date?, to: Date?) -> String {
        guard let from, let to else { return "-" }
        return "\(RFC3339Date.day(from)) to \(RFC3339Date.day(max(from, to.addingTimeInterval(-1))))"
    }

    /// Findings someone has to act on.
    public var actionCount: Int { findings.filter(\.needsAction).count }

    /// What the report is about: the filtered domain, the only domain, or "N policy domains".
    public var subject: String {
        if let domainFilter { return domainFilter }
        let named = summary.policyDomains.compactMap(\.key)
        if summary.policyDomains.count == 1, let only = named.first { return only }
        if summary.policyDomains.isEmpty { return "tlsrpt" }
        return "\(summary.policyDomains.count) policy domains"
    }

    /// The one-line verdict, e.g. `example.com: 245 of 12,345 sessions failed (2.0%) — 1 problem needs action`.
    public var verdict: String {
        let s = summary
        guard s.reports > 0 else { return domainFilter.map { "\($0): no reports in this period" } ?? "No reports in this period" }
        var line: String
        if s.failedSessions == 0 && s.isClean {
            line = "\(subject): all \(NumberFormat.grouped(s.totalSessions)) sessions succeeded"
        } else {
            line =
                "\(subject): \(NumberFormat.grouped(s.failedSessions)) of \(NumberFormat.grouped(s.totalSessions)) sessions failed "
                + "(\(NumberFormat.percent(s.failureRate)))"
        }
        let actions = actionCount
        if actions > 0 {
            line += " — \(NumberFormat.grouped(Int64(actions))) problem\(actions == 1 ? "" : "s") need\(actions == 1 ? "s" : "") action"
        } else if !s.isClean {
            line += " — nothing needs action"
        }
        return line
    }
}

/// Reads a period from the store and assembles its ``PeriodReport``.
public enum PeriodReportBuilder {
    public static func build(
        store: ReportStore, period: ReportPeriod, domain: String? = nil, sender: String? = nil, now: Date = Date(),
        diagnoser: Diagnoser = Diagnoser()
    ) throws(StoreError) -> PeriodReport {
        let bounds = period.bounds(now: now)
        let filter = ReportFilter(from: bounds.from, to: bounds.to, domain: domain, sender: sender)
        let rows = try store.periodRows(filter)
        let cells = rows.cells
        var summary = SummaryBuilder.build(cells)
        summary.from = bounds.from ?? cells.earliestStart
        summary.to = bounds.to ?? cells.latestEnd
        let findings = diagnoser.diagnose(rows.evidence)
        var trend: Trend?
        if let from = bounds.from, let to = bounds.to {
            let previousFrom = from.addingTimeInterval(-to.timeIntervalSince(from))
            let previousFilter = ReportFilter(from: previousFrom, to: from, domain: domain, sender: sender)
            let previous = SummaryBuilder.build(try store.summaryCells(previousFilter))
            trend = Trend.compare(current: summary, previous: previous, previousFrom: previousFrom, previousTo: from)
        }
        return PeriodReport(summary: summary, findings: findings, trend: trend, daily: rows.daily, cells: cells, domainFilter: domain)
    }
}
