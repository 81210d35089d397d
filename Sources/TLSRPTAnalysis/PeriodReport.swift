package import Foundation
import TLSRPTCore
package import TLSRPTStore

/// Everything `tlsrpt summary` shows for a period: the numbers, the diagnoses, the trend against the
/// previous period, and the daily series for charts. Renderers take this and nothing else.
package struct PeriodReport: Sendable {
    package var summary: Summary
    /// Findings, most failed sessions first.
    package var findings: [Finding]
    /// Against the previous period (the same number of whole days before, or of equal length); nil for `--all`.
    package var trend: Trend?
    /// Counted sessions per policy domain and day.
    package var daily: [DailyTotals]
    /// The summary's cells, for the CSV rows.
    package var cells: SummaryCells
    /// The `--domain` filter, when one was given.
    package var domainFilter: String?
    /// How much of the findings and tables the formats for people show (`--top`).
    package var display: DisplayLimit = .standard
    /// Policy domains that are MX host names of other policy domains (DANE reports arrive under the MX host's
    /// own TLSA name), with the domains they serve.
    package var mxHostOwners: [String: [String]] = [:]
    /// MTA-STS policies that changed within the period, oldest first.
    package var policyChanges: [PolicyChange] = []

    /// A policy domain as the tables show it: `mx1.example.com (MX host of example.com)`.
    package func domainLabel(_ domain: String?, nilKey: String = "(no domain named)") -> String {
        guard let domain else { return nilKey }
        guard let owners = mxHostOwners[domain], !owners.isEmpty else { return domain }
        return "\(domain) (MX host of \(owners.joined(separator: ", ")))"
    }

    package init(
        summary: Summary, findings: [Finding], trend: Trend?, daily: [DailyTotals], cells: SummaryCells, domainFilter: String? = nil
    ) {
        self.summary = summary
        self.findings = findings
        self.trend = trend
        self.daily = daily
        self.cells = cells
        self.domainFilter = domainFilter
    }

    /// The period as people read it, naming the UTC days it holds: `2026-03-02 to 2026-03-08` for whole days
    /// (`to` is exclusive, so a period ending at midnight ends on the day before), with the part of a day it
    /// holds where a bound is not midnight: `2026-03-02 to 2026-03-08, and 2026-03-09 until 07:00Z` for
    /// `--since 7d` on Monday 07:00, `2026-03-07 19:00Z to 2026-03-09 07:00Z` for `--since 36h`.
    package static func days(from: Date?, to: Date?) -> String {
        guard let from, let to else { return "-" }
        let fromMidnight = ReportPeriod.startOfDay(from) == from
        // A report's day ends at 23:59:59Z (the end `--all` takes from the reports): that day is whole.
        let toMidnight = ReportPeriod.startOfDay(to) == to || ReportPeriod.startOfDay(to.addingTimeInterval(1)) == to.addingTimeInterval(1)
        if toMidnight {
            let start = fromMidnight ? RFC3339Date.day(from) : dayAndTime(from)
            let lastDay = ReportPeriod.startOfDay(to) == to ? to.addingTimeInterval(-1) : to
            return "\(start) to \(RFC3339Date.day(max(from, lastDay)))"
        }
        if fromMidnight, ReportPeriod.startOfDay(to) > from {
            let lastWhole = RFC3339Date.day(ReportPeriod.startOfDay(to).addingTimeInterval(-1))
            return "\(RFC3339Date.day(from)) to \(lastWhole), and \(RFC3339Date.day(to)) until \(time(to))"
        }
        return "\(fromMidnight ? RFC3339Date.day(from) : dayAndTime(from)) to \(dayAndTime(to))"
    }

    /// `2026-03-09 07:00Z` (seconds only when there are some).
    static func dayAndTime(_ date: Date) -> String { "\(RFC3339Date.day(date)) \(time(date))" }

    static func time(_ date: Date) -> String {
        let formatted = RFC3339Date.format(date)  // YYYY-MM-DDTHH:MM:SSZ
        let clock = formatted.dropFirst(11).dropLast()
        return (clock.hasSuffix(":00") ? String(clock.dropLast(3)) : String(clock)) + "Z"
    }

    /// `Period 2026-11-22 to 2026-11-28, 14 reports from 2 senders.`
    package var periodLine: String {
        "Period \(PeriodReport.days(from: summary.from, to: summary.to)), \(NumberFormat.count(summary.reports, "report")) "
            + "from \(NumberFormat.count(summary.senders.count, "sender"))."
    }

    /// `example.com: the MTA-STS policy changed on 2026-03-02: mode testing → enforce.`, one per change.
    package var policyChangeLines: [String] { policyChanges.map(\.sentence) }

    /// Findings someone has to act on.
    package var actionCount: Int { findings.filter(\.needsAction).count }

    /// What the report is about: the filtered domain, the only domain, or "N policy domains".
    package var subject: String {
        if let domainFilter { return domainLabel(domainFilter) }
        let named = summary.policyDomains.compactMap(\.key)
        if summary.policyDomains.count == 1, let only = named.first { return domainLabel(only) }
        if summary.policyDomains.isEmpty { return "tlsrpt" }
        return "\(summary.policyDomains.count) policy domains"
    }

    /// The one-line verdict, e.g. `example.com: 245 of 12,345 sessions failed (2.0%) — 1 problem needs action`.
    package var verdict: String {
        let s = summary
        guard s.reports > 0 else { return domainFilter.map { "\($0): no reports in this period" } ?? "No reports in this period" }
        var line: String
        if s.totalSessions == 0 && s.isClean {
            line = "\(subject): no sessions reported in \(NumberFormat.count(s.reports, "report"))"
        } else if s.failedSessions == 0 && s.isClean {
            line = s.totalSessions == 1 ? "\(subject): the 1 session succeeded" : "\(subject): all \(NumberFormat.grouped(s.totalSessions)) sessions succeeded"
        } else if s.totalSessions == 0 {
            line = "\(subject): no sessions counted, but failure details were reported"
        } else {
            line =
                "\(subject): \(NumberFormat.grouped(s.failedSessions)) of \(NumberFormat.count(s.totalSessions, "session")) failed "
                + "(\(NumberFormat.percent(s.failureRate)))"
        }
        let actions = actionCount
        if actions > 0 {
            line += " — \(NumberFormat.count(actions, "problem")) need\(actions == 1 ? "s" : "") action"
        } else if !s.isClean {
            line += " — nothing needs action"
        }
        return line
    }
}

/// Reads a period from the store and assembles its ``PeriodReport``.
package enum PeriodReportBuilder {
    package static func build(
        store: any ReportStorage, period: ReportPeriod, domain: String? = nil, sender: String? = nil, now: Date = Date(),
        diagnoser: Diagnoser = Diagnoser(), daily: Bool = true
    ) throws(StoreError) -> PeriodReport {
        let read = try PeriodRead(store: store, period: period, domain: domain, sender: sender, now: now, daily: daily)
        var report = assemble(
            read.rows, previous: read.previous, bounds: read.bounds, previousBounds: read.previousBounds, domain: domain, diagnoser: diagnoser)
        try report.noteProbes(from: store)
        return report
    }

    /// The report of rows already read: the whole period's, or one domain's cut of them.
    static func assemble(
        _ rows: PeriodRows, previous: SummaryCells?, bounds: (from: Date?, to: Date?), previousBounds: (from: Date, to: Date)?, domain: String?,
        diagnoser: Diagnoser
    ) -> PeriodReport {
        let cells = SenderName.merged(rows.cells)
        var summary = SummaryBuilder.build(cells)
        summary.from = bounds.from ?? cells.earliestStart
        summary.to = bounds.to ?? cells.latestEnd
        let evidence = DiagnosisEvidence(rows.evidence)
        let findings = diagnoser.diagnose(evidence)
        let owners = DiagnosisContext(evidence: evidence).mxHostOwners
        var trend: Trend?
        if let previous, let previousBounds {
            trend = Trend.compare(
                current: summary, previous: SummaryBuilder.build(previous), previousFrom: previousBounds.from, previousTo: previousBounds.to)
        }
        var report = PeriodReport(summary: summary, findings: findings, trend: trend, daily: rows.daily, cells: cells, domainFilter: domain)
        report.mxHostOwners = owners
        report.policyChanges = PolicyChange.detect(evidence)
        return report
    }
}

/// What one summary reads from the store: the period's rows and, for the trend, the previous period's cells.
struct PeriodRead {
    var bounds: (from: Date?, to: Date?)
    var previousBounds: (from: Date, to: Date)?
    var rows: PeriodRows
    var previous: SummaryCells?

    init(store: any ReportStorage, period: ReportPeriod, domain: String?, sender: String?, now: Date, daily: Bool) throws(StoreError) {
        let bounds = period.bounds(now: now)
        self.bounds = (bounds.from, bounds.to)
        rows = try store.periodRows(ReportFilter(from: bounds.from, to: bounds.to, domain: domain, sender: sender), daily: daily)
        if let previousBounds = period.previousBounds(now: now) {
            self.previousBounds = previousBounds
            previous = try store.summaryCells(ReportFilter(from: previousBounds.from, to: previousBounds.to, domain: domain, sender: sender))
        }
    }
}
