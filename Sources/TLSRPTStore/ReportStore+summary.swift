package import Foundation
import GRDB
import TLSRPTCore

/// Aggregates the summary is built from, grouped as finely as any table needs; the analysis layer adds
/// them up. Computed by SQL so that summaries never load individual reports.
package struct SummaryCells: Sendable {
    /// Reports per sender (organisation).
    package var reportsBySender: [String: Int64] = [:]
    /// Counted sessions per (sender, policy domain): reports, successful, failed.
    package var sessions: [SessionCell] = []
    /// Failed sessions per (sender, policy domain, result type, receiving MX host).
    package var failures: [FailureCell] = []
    /// Earliest start and latest end among the matching reports.
    package var earliestStart: Date?
    package var latestEnd: Date?

    package init() {}

    package struct SessionCell: Sendable, Equatable {
        package var sender: String
        package var domain: String?
        package var reports: Int64
        package var successful: Int64
        package var failed: Int64
        /// Unix times: the earliest start and the latest end of these reports, so that a period can be cut
        /// per domain in memory (``PeriodRows``' per-domain digests) with the dates `--domain` would give.
        package var firstStart: Int64?
        package var lastEnd: Int64?

        package init(
            sender: String, domain: String?, reports: Int64, successful: Int64, failed: Int64, firstStart: Int64? = nil, lastEnd: Int64? = nil
        ) {
            self.sender = sender
            self.domain = domain
            self.reports = reports
            self.successful = successful
            self.failed = failed
            self.firstStart = firstStart
            self.lastEnd = lastEnd
        }

        /// Adds another cell of the same sender and domain (other days, another spelling of the sender).
        package mutating func add(_ other: SessionCell) {
            reports.addCount(other.reports)
            successful.addCount(other.successful)
            failed.addCount(other.failed)
            if let start = other.firstStart { firstStart = min(firstStart ?? start, start) }
            if let end = other.lastEnd { lastEnd = max(lastEnd ?? end, end) }
        }
    }

    package struct FailureCell: Sendable, Equatable {
        package var sender: String
        package var domain: String?
        package var resultType: String
        package var mxHost: String?
        package var failed: Int64

        package init(sender: String, domain: String?, resultType: String, mxHost: String?, failed: Int64) {
            self.sender = sender
            self.domain = domain
            self.resultType = resultType
            self.mxHost = mxHost
            self.failed = failed
        }
    }
}

extension ReportStore {
    /// The cells of the reports `filter` selects: whole UTC days from the rollups, the edge days (a period
    /// need not start at midnight) from the raw rows.
    package func summaryCells(_ filter: ReportFilter) throws(StoreError) -> SummaryCells {
        try read { db in try Self.summaryCells(filter, db: db) }
    }

    static func summaryCells(_ filter: ReportFilter, db: Database) throws -> SummaryCells {
        let split = DaySplit(filter)
        var cells = SummaryCells()
        if let days = split.wholeDays {
            cells.merge(try rollupSummaryCells(days: days, filter: filter, db: db))
        }
        for edge in split.edges {
            cells.merge(try rawSummaryCells(edge, db: db))
        }
        return cells
    }

    static func rawSummaryCells(_ filter: ReportFilter, db: Database) throws -> SummaryCells {
        var cells = SummaryCells()
        let reportCondition = filter.conditions(policyAlias: nil)
        let reportRows = try Row.fetchAll(db, sql: SharedQueries.senderTotals(reportCondition.sql), arguments: reportCondition.arguments)
        var earliest: Int64?
        var latest: Int64?
        for row in reportRows {
            let organization: String = row[0]
            cells.reportsBySender[organization] = row[1]
            let start: Int64 = row[2]
            let end: Int64 = row[3]
            earliest = min(earliest ?? start, start)
            latest = max(latest ?? end, end)
        }
        cells.earliestStart = earliest.map { Date(timeIntervalSince1970: TimeInterval($0)) }
        cells.latestEnd = latest.map { Date(timeIntervalSince1970: TimeInterval($0)) }

        let policyCondition = filter.conditions(policyAlias: "p")
        let policyArguments = policyCondition.arguments
        let sessionRows = try Row.fetchAll(db, sql: SharedQueries.sessionCells(policyCondition.sql, .sqlite), arguments: policyArguments)
        cells.sessions = sessionRows.map {
            SummaryCells.SessionCell(
                sender: $0[0], domain: $0[1], reports: $0[2], successful: $0[3], failed: $0[4], firstStart: $0[5], lastEnd: $0[6])
        }
        let failureRows = try Row.fetchAll(db, sql: SharedQueries.failureCells(policyCondition.sql, .sqlite), arguments: policyArguments)
        cells.failures = failureRows.map {
            SummaryCells.FailureCell(sender: $0[0], domain: $0[1], resultType: $0[2], mxHost: $0[3], failed: $0[4])
        }
        return cells
    }

    static func rollupSummaryCells(days: Range<Int64>, filter: ReportFilter, db: Database) throws -> SummaryCells {
        let condition = filter.rollupConditions(days: days)
        let whereAll = condition.sql
        let all = condition.arguments

        var cells = SummaryCells()
        // Reports per sender: with a domain filter, those with a policy for it (one counted policy each).
        let reportCondition = filter.rollupConditions(days: days, byDomain: false)
        var earliest: Int64?
        var latest: Int64?
        try DirectBinding.forEachRow(
            db,
            sql: !filter.filtersDomains
                ? "SELECT organization, SUM(reports), MIN(first_start), MAX(last_end) FROM rollup_report WHERE \(reportCondition.sql) GROUP BY organization"
                : "SELECT organization, SUM(reports), MIN(first_start), MAX(last_end) FROM rollup_session WHERE \(whereAll) GROUP BY organization",
            arguments: !filter.filtersDomains ? reportCondition.arguments : all
        ) { row in
            cells.reportsBySender[row.text(0)] = row.int64(1)
            let start = row.int64(2)
            let end = row.int64(3)
            earliest = min(earliest ?? start, start)
            latest = max(latest ?? end, end)
        }
        cells.earliestStart = earliest.map { Date(timeIntervalSince1970: TimeInterval($0)) }
        cells.latestEnd = latest.map { Date(timeIntervalSince1970: TimeInterval($0)) }
        // Added up here rather than by GROUP BY: a provider's rollup holds a row per report (one report per
        // sender, domain and day), and SQLite's sorter took six times as long as reading the rows.
        var sessionIndex: [SummaryCells.SessionKey: Int] = [:]
        try DirectBinding.forEachRow(
            db,
            sql: """
                SELECT organization, policy_domain, reports, successful, failed, first_start, last_end FROM rollup_session
                WHERE \(whereAll)
                """, arguments: all
        ) { row in
            cells.addSession(
                SummaryCells.SessionCell(
                    sender: row.text(0), domain: row.key(1), reports: row.int64(2), successful: row.int64(3), failed: row.int64(4),
                    firstStart: row.int64(5), lastEnd: row.int64(6)),
                index: &sessionIndex)
        }
        // In the order GROUP BY gave (bytes of sender, then domain), so that no reader depends on hashing.
        cells.sessions.sort { a, b in
            let sender = String.utf8Order(a.sender, b.sender)
            return sender != 0 ? sender < 0 : String.utf8Order(a.domain ?? "", b.domain ?? "") < 0
        }
        try DirectBinding.forEachRow(
            db,
            sql: """
                SELECT organization, policy_domain, result_type, mx_host, \(CountSQL.sum("failed")) FROM rollup_failure
                WHERE \(whereAll) GROUP BY organization, policy_domain, result_type, mx_host
                """, arguments: all
        ) { row in
            cells.failures.append(
                SummaryCells.FailureCell(
                    sender: row.text(0), domain: row.key(1), resultType: row.text(2), mxHost: row.key(3), failed: row.int64(4)))
        }
        return cells
    }
}

/// A period cut into the whole UTC days the rollups answer for, and the partial days at either end that
/// only the raw rows can (a report belongs to a period by its start time, to the second).
struct DaySplit {
    var wholeDays: Range<Int64>?
    var edges: [ReportFilter] = []

    init(_ filter: ReportFilter) {
        let from = filter.from.map { Int64($0.timeIntervalSince1970.rounded(.up)) }
        let to = filter.to.map { Int64($0.timeIntervalSince1970.rounded(.up)) }
        let firstDay = from.map(UTCDay.startingAtOrAfter) ?? Int64.min / 2
        let endDay = to.map(UTCDay.of) ?? Int64.max / 2
        guard firstDay < endDay else {
            edges = [filter]
            return
        }
        wholeDays = firstDay..<endDay
        if let from, from < UTCDay.start(firstDay) {
            var edge = filter
            edge.to = Date(timeIntervalSince1970: TimeInterval(UTCDay.start(firstDay)))
            edges.append(edge)
        }
        if let to, to > UTCDay.start(endDay) {
            var edge = filter
            edge.from = Date(timeIntervalSince1970: TimeInterval(UTCDay.start(endDay)))
            edges.append(edge)
        }
    }
}

extension SummaryCells {
    /// Adds another set of cells (from other days) to these.
    mutating func merge(_ other: SummaryCells) {
        if reportsBySender.isEmpty && sessions.isEmpty && failures.isEmpty && earliestStart == nil && latestEnd == nil {
            self = other
            return
        }
        for (sender, count) in other.reportsBySender { reportsBySender[sender, default: 0].addCount(count) }
        if let start = other.earliestStart { earliestStart = min(earliestStart ?? start, start) }
        if let end = other.latestEnd { latestEnd = max(latestEnd ?? end, end) }
        // By index, not by searching the list: a year of senders and domains is thousands of cells.
        var sessionIndex: [SessionKey: Int] = [:]
        for (i, cell) in sessions.enumerated() { sessionIndex[SessionKey(sender: cell.sender, domain: cell.domain)] = i }
        for cell in other.sessions { addSession(cell, index: &sessionIndex) }
        guard !other.failures.isEmpty else { return }
        var index: [FailureKey: Int] = [:]
        for (i, cell) in failures.enumerated() { index[FailureKey(cell)] = i }
        for cell in other.failures {
            if let i = index[FailureKey(cell)] {
                failures[i].failed.addCount(cell.failed)
            } else {
                index[FailureKey(cell)] = failures.count
                failures.append(cell)
            }
        }
    }

    /// Adds `cell` to the cell of the same sender and domain, or appends it; `index` says where each is and is
    /// kept up to date.
    fileprivate mutating func addSession(_ cell: SessionCell, index: inout [SessionKey: Int]) {
        let key = SessionKey(sender: cell.sender, domain: cell.domain)
        if let i = index[key] {
            sessions[i].add(cell)
        } else {
            index[key] = sessions.count
            sessions.append(cell)
        }
    }

    fileprivate struct SessionKey: Hashable {
        var sender: String
        var domain: String?
    }

    private struct FailureKey: Hashable {
        var sender: String
        var domain: String?
        var resultType: String
        var mxHost: String?

        init(_ cell: FailureCell) {
            sender = cell.sender
            domain = cell.domain
            resultType = cell.resultType
            mxHost = cell.mxHost
        }
    }
}
