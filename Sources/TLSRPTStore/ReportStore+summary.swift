import Foundation
import GRDB

/// Aggregates the summary is built from, grouped as finely as any table needs; the analysis layer adds
/// them up. Computed by SQL so that summaries never load individual reports.
public struct SummaryCells: Sendable {
    /// Reports per sender (organisation).
    public var reportsBySender: [String: Int64] = [:]
    /// Counted sessions per (sender, policy domain): reports, successful, failed.
    public var sessions: [SessionCell] = []
    /// Failed sessions per (sender, policy domain, result type, receiving MX host).
    public var failures: [FailureCell] = []
    /// Earliest start and latest end among the matching reports.
    public var earliestStart: Date?
    public var latestEnd: Date?

    public init() {}

    public struct SessionCell: Sendable, Equatable {
        public var sender: String
        public var domain: String?
        public var reports: Int64
        public var successful: Int64
        public var failed: Int64

        public init(sender: String, domain: String?, reports: Int64, successful: Int64, failed: Int64) {
            self.sender = sender
            self.domain = domain
            self.reports = reports
            self.successful = successful
            self.failed = failed
        }
    }

    public struct FailureCell: Sendable, Equatable {
        public var sender: String
        public var domain: String?
        public var resultType: String
        public var mxHost: String?
        public var failed: Int64

        public init(sender: String, domain: String?, resultType: String, mxHost: String?, failed: Int64) {
            self.sender = sender
            self.domain = domain
            self.resultType = resultType
            self.mxHost = mxHost
            self.failed = failed
        }
    }
}

extension ReportStore {
    public func summaryCells(_ filter: ReportFilter) throws(StoreError) -> SummaryCells {
        try read { db in
            var cells = SummaryCells()
            let reportCondition = filter.conditions(policyAlias: nil)
            let reportRows = try Row.fetchAll(
                db,
                sql: """
                    SELECT r.organization, COUNT(*), MIN(r.start_time), MAX(r.end_time) FROM report r
                    WHERE \(reportCondition.sql) GROUP BY r.organization
                    """,
                arguments: reportCondition.arguments)
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
            let sessionRows = try Row.fetchAll(
                db,
                sql: """
                    SELECT r.organization, p.policy_domain, COUNT(*), SUM(p.successful), SUM(p.failed)
                    FROM policy p JOIN report r ON r.id = p.report
                    WHERE p.counted = 1 AND \(policyCondition.sql)
                    GROUP BY r.organization, p.policy_domain
                    """,
                arguments: policyArguments)
            cells.sessions = sessionRows.map {
                SummaryCells.SessionCell(sender: $0[0], domain: $0[1], reports: $0[2], successful: $0[3], failed: $0[4])
            }
            let failureRows = try Row.fetchAll(
                db,
                sql: """
                    SELECT r.organization, p.policy_domain, f.result_type, f.receiving_mx_hostname, SUM(f.failed_sessions)
                    FROM failure f JOIN policy p ON p.id = f.policy JOIN report r ON r.id = f.report
                    WHERE \(policyCondition.sql)
                    GROUP BY r.organization, p.policy_domain, f.result_type, f.receiving_mx_hostname
                    """,
                arguments: policyArguments)
            cells.failures = failureRows.map {
                SummaryCells.FailureCell(sender: $0[0], domain: $0[1], resultType: $0[2], mxHost: $0[3], failed: $0[4])
            }
            return cells
        }
    }
}
