package import Foundation
import TLSRPTCore
package import TLSRPTStore

extension PostgresReportStore {
    /// The columns ``reportRow(_:)`` reads, for `report r`. A report's domains in the order its policies
    /// name them first, as the SQLite store lists them.
    static let reportRowColumns = """
        r.id, r.organization, r.report_id, r.start_time, r.end_time, r.channel, r.source_name, r.conflict,
            (SELECT \(SQLDialect.postgres.sum("successful")) FROM policy WHERE report = r.id AND counted = 1),
            (SELECT \(SQLDialect.postgres.sum("failed")) FROM policy WHERE report = r.id AND counted = 1),
            (SELECT string_agg(domain, ',' ORDER BY first) FROM (
                SELECT policy_domain AS domain, MIN(position) AS first FROM policy WHERE report = r.id GROUP BY policy_domain) AS d), r.counts
        """

    static func reportRow(_ c: PostgresColumns) throws -> StoredReportRow {
        StoredReportRow(
            id: try c.int64(0), organization: try c.text(1), reportID: try c.text(2),
            start: Date(timeIntervalSince1970: TimeInterval(try c.int64(3))), end: Date(timeIntervalSince1970: TimeInterval(try c.int64(4))),
            channel: try c.text(5), sourceName: try c.text(6), successful: try c.int64(8), failed: try c.int64(9),
            domains: try c.optionalText(10).map { $0.split(separator: ",").map(String.init) } ?? [], conflict: try c.int64(7) != 0,
            counts: try c.int64(11) != 0)
    }

    package func reports(_ filter: ReportFilter, limit: Int?) throws(StoreError) -> [StoredReportRow] {
        try read { session in
            let condition = Self.conditions(filter, policyAlias: nil, allVersions: true)
            return try session.rows(
                """
                SELECT \(Self.reportRowColumns) FROM report r WHERE \(condition.sql)
                ORDER BY r.start_time, r.organization COLLATE "C", r.id \(limit.map { "LIMIT \($0)" } ?? "")
                """, condition.arguments
            ).map { try Self.reportRow(PostgresColumns($0)) }
        }
    }

    package func report(id: Int64) throws(StoreError) -> StoredReportDetail? {
        try read { session in
            guard
                let row = try session.rows(
                    """
                    SELECT \(Self.reportRowColumns), r.contact_info, r.submitter, r.report_domain, r.message_id, r.subject_report_id,
                        r.mail_date, r.client_address, r.user_agent, r.received_at, r.notes, x.raw_gzip
                    FROM report r JOIN report_raw x ON x.report = r.id WHERE r.id = ?
                    """, [.integer(id)]
                ).first
            else { return nil }
            let c = PostgresColumns(row)
            let summary = try Self.reportRow(c)
            return StoredReportDetail(
                row: summary, contactInfo: try c.optionalText(12),
                provenance: Provenance(
                    channel: Provenance.Channel(rawValue: summary.channel) ?? .file, name: summary.sourceName, submitter: try c.optionalText(13),
                    reportDomain: try c.optionalText(14), messageID: try c.optionalText(15), subjectReportID: try c.optionalText(16),
                    mailDate: try c.optionalText(17), clientAddress: try c.optionalText(18), userAgent: try c.optionalText(19)),
                receivedAt: Date(timeIntervalSince1970: TimeInterval(try c.int64(20))),
                notes: try c.optionalText(21).map { $0.split(separator: "\n").map(String.init) } ?? [], rawGzip: try c.bytes(22))
        }
    }

    package func rejections(limit: Int?) throws(StoreError) -> [RejectionRow] {
        try read { session in
            try session.rows(
                """
                SELECT id, channel, source_name, reason, kept_at, received_at, raw IS NOT NULL FROM rejection
                ORDER BY id \(limit.map { "LIMIT \($0)" } ?? "")
                """
            ).map { row in
                let c = PostgresColumns(row)
                return RejectionRow(
                    id: try c.int64(0), channel: try c.text(1), sourceName: try c.text(2), reason: try c.text(3), keptAt: try c.optionalText(4),
                    receivedAt: Date(timeIntervalSince1970: TimeInterval(try c.int64(5))), hasRawCopy: try c.bool(6))
            }
        }
    }

    package func rejectedInput(id: Int64) throws(StoreError) -> [UInt8]? {
        try read { session in
            try session.rows("SELECT raw FROM rejection WHERE id = ?", [.integer(id)]).first.flatMap { try PostgresColumns($0).optionalBytes(0) }
        }
    }

    package func check() throws(StoreError) -> [String] {
        try read { session in
            var problems: [String] = []
            for (sql, description) in StoreInvariants.queries(.postgres) + Self.copyInvariants {
                let count = try session.rows(sql).first.map { try PostgresColumns($0).int64(0) } ?? 0
                if count > 0 { problems.append("\(count) \(description)") }
            }
            return problems
        }
    }

    /// The copies of report and policy columns on policy and failure rows (``SQLDialect/policiesWithReports``)
    /// agree with what they copy.
    static let copyInvariants: [(sql: String, description: String)] = [
        (
            """
            SELECT COUNT(*) FROM policy p JOIN report r ON r.id = p.report WHERE p.report_organization != r.organization
                OR p.report_start != r.start_time OR p.report_end != r.end_time OR p.report_counts != r.counts
            """,
            "policy(ies) whose copy of their report's columns differs from the report"
        ),
        (
            """
            SELECT COUNT(*) FROM failure f JOIN policy p ON p.id = f.policy JOIN report r ON r.id = f.report
            WHERE f.policy_domain IS DISTINCT FROM p.policy_domain OR f.policy_type != p.policy_type
                OR f.policy_strings IS DISTINCT FROM p.policy_strings OR f.policy_counted != p.counted
                OR f.report_organization != r.organization OR f.report_start != r.start_time OR f.report_end != r.end_time
                OR f.report_counts != r.counts
            """,
            "failure detail(s) whose copy of their policy's or report's columns differs"
        ),
    ]

    package func counts() throws(StoreError) -> (reports: Int, policies: Int, failures: Int, rejections: Int) {
        try read { session in
            let row = try session.rows(
                """
                SELECT (SELECT COUNT(*) FROM report), (SELECT COUNT(*) FROM policy), (SELECT COUNT(*) FROM failure),
                    (SELECT COUNT(*) FROM rejection)
                """)[0]
            let c = PostgresColumns(row)
            return (try c.int(0), try c.int(1), try c.int(2), try c.int(3))
        }
    }

    /// As ``ReportStore/prune(olderThan:includeRejects:dryRun:vacuum:)``; `vacuum` runs PostgreSQL's VACUUM on
    /// the report tables afterwards (it gives space back for reuse, not to the filesystem).
    package func prune(olderThan cutoff: Date, includeRejects: Bool, dryRun: Bool, vacuum: Bool) throws(StoreError) -> PruneResult {
        let limit = Int64(cutoff.timeIntervalSince1970.rounded(.down))
        let result: PruneResult = try write { session in
            let row = try session.rows(
                """
                SELECT (SELECT COUNT(*) FROM report WHERE end_time < ?),
                    (SELECT COUNT(*) FROM policy WHERE report IN (SELECT id FROM report WHERE end_time < ?)),
                    (SELECT COUNT(*) FROM failure WHERE report IN (SELECT id FROM report WHERE end_time < ?)),
                    (SELECT COUNT(*) FROM rejection WHERE received_at < ?)
                """, [.integer(limit), .integer(limit), .integer(limit), .integer(limit)])[0]
            let c = PostgresColumns(row)
            let result = PruneResult(
                reports: try c.int(0), policies: try c.int(1), failures: try c.int(2), rejections: includeRejects ? try c.int(3) : 0)
            if !dryRun {
                try session.execute("DELETE FROM report WHERE end_time < ?", [.integer(limit)])
                if includeRejects { try session.execute("DELETE FROM rejection WHERE received_at < ?", [.integer(limit)]) }
            }
            return result
        }
        if vacuum && !dryRun {
            try withSession(doing: "vacuum") { session in
                for table in ["report", "report_raw", "policy", "failure", "rejection"] { try session.execute("VACUUM \(table)") }
            }
        }
        return result
    }
}
