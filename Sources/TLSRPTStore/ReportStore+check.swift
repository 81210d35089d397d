import GRDB

extension ReportStore {
    /// Checks the database: SQLite's own integrity check, foreign keys, and our invariants (every failure
    /// detail belongs to a policy of its report, every policy to a report, counts non-negative, one counted policy
    /// type per report and domain). Returns the problems found, empty when all is well.
    package func check() throws(StoreError) -> [String] {
        try read { db in
            var problems: [String] = []
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            if integrity != ["ok"] {
                problems += integrity.map { "SQLite integrity check: \($0)" }
            }
            let foreignKeys = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
            if !foreignKeys.isEmpty {
                problems.append("\(foreignKeys.count) row(s) point at rows that do not exist (PRAGMA foreign_key_check)")
            }
            let invariants = StoreInvariants.queries(.sqlite)
            for (sql, description) in invariants {
                let count = try Int.fetchOne(db, sql: sql) ?? 0
                if count > 0 { problems.append("\(count) \(description)") }
            }
            return problems
        }
    }

    /// How many reports, policies, failure details and rejections the database holds.
    package func counts() throws(StoreError) -> (reports: Int, policies: Int, failures: Int, rejections: Int) {
        try read { db in
            (
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM report") ?? 0,
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM policy") ?? 0,
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM failure") ?? 0,
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM rejection") ?? 0
            )
        }
    }
}

/// The invariants `tlsrpt check` counts violations of, in either backend's SQL: each a `SELECT COUNT(*)` and
/// what a non-zero count means.
package enum StoreInvariants {
    package static func queries(_ dialect: SQLDialect) -> [(sql: String, description: String)] {
        [
            (
                "SELECT COUNT(*) FROM failure f LEFT JOIN policy p ON p.id = f.policy WHERE p.id IS NULL OR p.report != f.report",
                "failure detail(s) without a policy of their report"
            ),
            ("SELECT COUNT(*) FROM policy p LEFT JOIN report r ON r.id = p.report WHERE r.id IS NULL", "policy(ies) without a report"),
            ("SELECT COUNT(*) FROM policy WHERE successful < 0 OR failed < 0", "policy(ies) with a negative session count"),
            ("SELECT COUNT(*) FROM failure WHERE failed_sessions < 0", "failure detail(s) with a negative session count"),
            (
                """
                SELECT COUNT(*) FROM (SELECT report, policy_domain FROM policy GROUP BY report, policy_domain
                    HAVING COUNT(DISTINCT CASE WHEN counted = 1 THEN policy_type END) != 1) AS pairs
                """,
                "report/domain pair(s) whose counted policies are not of exactly one policy type"
            ),
            (
                """
                SELECT COUNT(*) FROM policy p WHERE p.counted = 0 AND EXISTS (SELECT 1 FROM policy q WHERE q.report = p.report
                    AND \(dialect.nullSafeEquals("q.policy_domain", "p.policy_domain")) AND q.policy_type = p.policy_type AND q.counted = 1)
                """,
                "policy(ies) not counted although another entry of their type and domain is"
            ),
            ("SELECT COUNT(*) FROM report WHERE length(content_hash) != 32", "report(s) with a malformed content hash"),
            (
                """
                SELECT COUNT(*) FROM (SELECT organization, report_id, start_time, end_time FROM report
                    GROUP BY organization, report_id, start_time, end_time HAVING SUM(counts) != 1) AS versions
                """,
                "report(s) of which not exactly one version counts"
            ),
            (
                "SELECT COUNT(*) FROM report r LEFT JOIN report_raw w ON w.report = r.id WHERE w.report IS NULL",
                "report(s) without their raw JSON"
            ),
        ]
    }
}
