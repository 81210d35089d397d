package import Foundation
import TLSRPTCore
package import TLSRPTStore

/// The reads the analysis builds on, from the raw rows: the same GROUP BYs the SQLite store runs on the
/// partial days at a period's ends (its rollups are these sums kept in advance), fed into the same
/// ``EvidenceTally``, so that both stores hand the analysis identical values.
extension PostgresReportStore {
    package func periodRows(_ filter: ReportFilter, daily: Bool) throws(StoreError) -> PeriodRows {
        try read { session in
            let cells = try Self.summaryCells(filter, session: session)
            return PeriodRows(
                cells: cells, evidence: try Self.evidenceRows(filter, sessions: cells.sessions, session: session),
                daily: daily ? try Self.dailyTotals(filter, session: session) : [])
        }
    }

    package func summaryCells(_ filter: ReportFilter) throws(StoreError) -> SummaryCells {
        try read { session in try Self.summaryCells(filter, session: session) }
    }

    package func evidenceRows(_ filter: ReportFilter) throws(StoreError) -> EvidenceRows {
        try read { session in try Self.evidenceRows(filter, sessions: nil, session: session) }
    }

    package func dailyTotals(_ filter: ReportFilter) throws(StoreError) -> [DailyTotals] {
        try read { session in try Self.dailyTotals(filter, session: session) }
    }

    static func conditions(_ filter: ReportFilter, policyAlias: String?, allVersions: Bool = false) -> (sql: String, arguments: [PostgresValue]) {
        let shared = filter.sqlConditions(policyAlias: policyAlias, allVersions: allVersions, dialect: .postgres)
        return (shared.sql, shared.arguments.map(PostgresValue.init))
    }

    static func summaryCells(_ filter: ReportFilter, session: PostgresSession) throws -> SummaryCells {
        var cells = SummaryCells()
        let reportCondition = conditions(filter, policyAlias: nil)
        var earliest: Int64?
        var latest: Int64?
        for row in try session.rows(SharedQueries.senderTotals(reportCondition.sql), reportCondition.arguments) {
            let c = PostgresColumns(row)
            cells.reportsBySender[try c.text(0)] = try c.int64(1)
            let start = try c.int64(2)
            let end = try c.int64(3)
            earliest = min(earliest ?? start, start)
            latest = max(latest ?? end, end)
        }
        cells.earliestStart = earliest.map { Date(timeIntervalSince1970: TimeInterval($0)) }
        cells.latestEnd = latest.map { Date(timeIntervalSince1970: TimeInterval($0)) }

        let condition = conditions(filter, policyAlias: "p")
        cells.sessions = try session.rows(SharedQueries.sessionCells(condition.sql, .postgres), condition.arguments).map { row in
            let c = PostgresColumns(row)
            return SummaryCells.SessionCell(
                sender: try c.text(0), domain: try c.optionalText(1), reports: try c.int64(2), successful: try c.int64(3), failed: try c.int64(4),
                firstStart: try c.int64(5), lastEnd: try c.int64(6))
        }
        cells.failures = try session.rows(SharedQueries.failureCells(condition.sql, .postgres), condition.arguments).map { row in
            let c = PostgresColumns(row)
            return SummaryCells.FailureCell(
                sender: try c.text(0), domain: try c.optionalText(1), resultType: try c.text(2), mxHost: try c.optionalText(3),
                failed: try c.int64(4))
        }
        return cells
    }

    static func evidenceRows(_ filter: ReportFilter, sessions: [SummaryCells.SessionCell]?, session: PostgresSession) throws -> EvidenceRows {
        var tally = EvidenceTally()
        let condition = conditions(filter, policyAlias: "p")
        func key(_ c: PostgresColumns) throws -> EvidenceTally.GroupKey {
            EvidenceTally.GroupKey(
                sender: try c.text(0), domain: try c.optionalText(1), policyType: try c.text(2), policyText: try c.optionalText(3),
                resultType: try c.text(4), mxHost: try c.optionalText(5), reasonCode: try c.optionalText(6),
                additionalInformation: try c.optionalText(7))
        }
        for row in try session.rows(SharedQueries.evidenceGroups(condition.sql, .postgres), condition.arguments) {
            let c = PostgresColumns(row)
            tally.addGroup(
                try key(c), failed: try c.int64(8), countedFailed: try c.int64(12), reports: try c.int64(9), firstStart: try c.int64(10),
                lastEnd: try c.int64(11))
        }
        for row in try session.rows(SharedQueries.evidenceValues(condition.sql, .postgres), condition.arguments) {
            let c = PostgresColumns(row)
            tally.addValue(try key(c), receivingIP: try c.optionalText(8), resultTypeRaw: try c.optionalText(9))
        }
        for row in try session.rows(SharedQueries.quotedPolicies(condition.sql, .postgres), condition.arguments) {
            let c = PostgresColumns(row)
            tally.addPolicy(domain: try c.optionalText(0), text: try c.text(1), reports: try c.int64(2), lastStart: try c.int64(3))
        }
        if let sessions {
            for cell in sessions {
                tally.addSessions(sender: cell.sender, domain: cell.domain, successful: cell.successful, failed: cell.failed)
            }
        } else {
            for row in try session.rows(SharedQueries.evidenceSessions(condition.sql, .postgres), condition.arguments) {
                let c = PostgresColumns(row)
                tally.addSessions(sender: try c.text(0), domain: try c.optionalText(1), successful: try c.int64(2), failed: try c.int64(3))
            }
        }
        // "Since": the first report of each group in the whole store, for groups that began before the period.
        if let from = filter.from {
            var before = filter
            before.from = nil
            before.to = from
            let earlier = conditions(before, policyAlias: "p")
            for row in try session.rows(
                """
                SELECT \(SharedQueries.evidenceKey), MIN(r.start_time)
                FROM \(SQLDialect.postgres.failuresWithPoliciesAndReports)
                WHERE \(earlier.sql)
                GROUP BY \(SharedQueries.evidenceKey)
                """, earlier.arguments) {
                let c = PostgresColumns(row)
                tally.addEarlierStart(try key(c), firstStart: try c.int64(8))
            }
        }
        return tally.rows()
    }

    static func dailyTotals(_ filter: ReportFilter, session: PostgresSession) throws -> [DailyTotals] {
        let condition = conditions(filter, policyAlias: "p")
        return try session.rows(SharedQueries.dailyTotals(condition.sql, .postgres), condition.arguments).map { row in
            let c = PostgresColumns(row)
            return DailyTotals(
                domain: try c.optionalText(0), day: Date(timeIntervalSince1970: TimeInterval(try c.int64(1))), successful: try c.int64(2),
                failed: try c.int64(3))
        }.sorted { ($0.day, $0.domain ?? "") < ($1.day, $1.domain ?? "") }
    }

    package func failureRows(_ filter: FailureRowFilter) throws(StoreError) -> [FailureDetailRow] {
        try read { session in
            let condition = Self.conditions(filter.report, policyAlias: "p")
            let sql = SharedQueries.failureDetails(
                condition.sql, resultType: filter.resultType != nil, mxHost: filter.mxHost != nil, limit: filter.limit != nil, .postgres)
            var arguments = condition.arguments
            if let resultType = filter.resultType { arguments.append(.text(resultType)) }
            if let host = filter.mxHost { arguments.append(.text(host)) }
            if let limit = filter.limit { arguments.append(.integer(Int64(limit))) }
            return try session.rows(sql, arguments).map { row in
                let c = PostgresColumns(row)
                return FailureDetailRow(
                    reportStart: Date(timeIntervalSince1970: TimeInterval(try c.int64(0))), sender: try c.text(1), reportID: try c.text(2),
                    domain: try c.optionalText(3), policyType: try c.text(4), resultType: try c.text(5), sendingMTAIP: try c.optionalText(6),
                    mxHost: try c.optionalText(7), mxHelo: try c.optionalText(8), receivingIP: try c.optionalText(9), failed: try c.int64(10),
                    reasonCode: try c.optionalText(11), additionalInformation: try c.optionalText(12))
            }
        }
    }
}
