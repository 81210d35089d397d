/// The raw-row queries both stores run, written once: the dialects agree on them but for the few things
/// ``SQLDialect`` spells (a saturated sum, a byte-wise order). The SQLite store runs them on the partial days
/// at a period's ends (whole days come from its rollups), the PostgreSQL store on the whole period. Each takes
/// the filter's conditions (``ReportFilter/sqlConditions(policyAlias:allVersions:dialect:)``, on `report r` and
/// `policy p`) and returns columns in the order the stores' readers expect.
package enum SharedQueries {
    /// Per sender: reports, earliest start, latest end. Conditions on `r` only.
    package static func senderTotals(_ condition: String) -> String {
        "SELECT r.organization, COUNT(*), MIN(r.start_time), MAX(r.end_time) FROM report r WHERE \(condition) GROUP BY r.organization"
    }

    /// Counted sessions per sender and domain: reports, successful, failed, earliest start, latest end.
    package static func sessionCells(_ condition: String, _ dialect: SQLDialect) -> String {
        """
        SELECT r.organization, p.policy_domain, COUNT(DISTINCT r.id), \(dialect.sum("p.successful")), \(dialect.sum("p.failed")),
            MIN(r.start_time), MAX(r.end_time)
        FROM \(dialect.policiesWithReports)
        WHERE p.counted = 1 AND \(condition)
        GROUP BY r.organization, p.policy_domain
        """
    }

    /// Failed sessions per sender, domain, result type and receiving MX host.
    package static func failureCells(_ condition: String, _ dialect: SQLDialect) -> String {
        """
        SELECT r.organization, p.policy_domain, f.result_type, f.receiving_mx_hostname, \(dialect.sum("f.failed_sessions"))
        FROM \(dialect.failuresWithPoliciesAndReports)
        WHERE \(condition)
        GROUP BY r.organization, p.policy_domain, f.result_type, f.receiving_mx_hostname
        """
    }

    /// The columns that key an evidence group (``EvidenceTally/GroupKey``), in its order.
    package static let evidenceKey = """
        r.organization, p.policy_domain, p.policy_type, p.policy_strings, f.result_type, f.receiving_mx_hostname,
            f.failure_reason_code, f.additional_information
        """

    /// Per evidence group (columns 0-7): failed (8), reports (9), first start (10), last end (11), failed in
    /// the policies that count (12).
    package static func evidenceGroups(_ condition: String, _ dialect: SQLDialect) -> String {
        """
        SELECT \(evidenceKey), \(dialect.sum("f.failed_sessions")), COUNT(DISTINCT r.id),
            MIN(r.start_time), MAX(r.end_time), \(dialect.sum("CASE WHEN p.counted = 1 THEN f.failed_sessions ELSE 0 END"))
        FROM \(dialect.failuresWithPoliciesAndReports)
        WHERE \(condition)
        GROUP BY \(evidenceKey)
        """
    }

    /// The distinct receiving IPs (8) and other spellings of the result type (9) of each evidence group.
    package static func evidenceValues(_ condition: String, _ dialect: SQLDialect) -> String {
        """
        SELECT DISTINCT \(evidenceKey), f.receiving_ip, NULLIF(f.result_type_raw, f.result_type)
        FROM \(dialect.failuresWithPoliciesAndReports)
        WHERE (f.receiving_ip IS NOT NULL OR f.result_type_raw != f.result_type) AND \(condition)
        """
    }

    /// Each MTA-STS policy text quoted in the reports, per domain: reports, latest start.
    package static func quotedPolicies(_ condition: String, _ dialect: SQLDialect) -> String {
        """
        SELECT p.policy_domain, p.policy_strings, COUNT(DISTINCT r.id), MAX(r.start_time)
        FROM \(dialect.policiesWithReports)
        WHERE p.policy_type = 'sts' AND p.policy_strings IS NOT NULL AND \(condition)
        GROUP BY p.policy_domain, p.policy_strings
        """
    }

    /// Counted sessions per sender and domain: successful, failed.
    package static func evidenceSessions(_ condition: String, _ dialect: SQLDialect) -> String {
        """
        SELECT r.organization, p.policy_domain, \(dialect.sum("p.successful")), \(dialect.sum("p.failed"))
        FROM \(dialect.policiesWithReports)
        WHERE p.counted = 1 AND \(condition)
        GROUP BY r.organization, p.policy_domain
        """
    }

    /// Counted sessions per domain and UTC day (as Unix time): successful, failed.
    package static func dailyTotals(_ condition: String, _ dialect: SQLDialect) -> String {
        """
        SELECT p.policy_domain, \(UTCDay.sql("r.start_time")) * 86400 AS day, \(dialect.sum("p.successful")), \(dialect.sum("p.failed"))
        FROM \(dialect.policiesWithReports)
        WHERE p.counted = 1 AND \(condition)
        GROUP BY p.policy_domain, day
        """
    }

    /// Failure details one by one, newest report first; `?` for the result type, the MX host and the limit
    /// when asked for.
    package static func failureDetails(_ condition: String, resultType: Bool, mxHost: Bool, limit: Bool, _ dialect: SQLDialect) -> String {
        var sql = """
            SELECT r.start_time, r.organization, r.report_id, p.policy_domain, p.policy_type, f.result_type,
                f.sending_mta_ip, f.receiving_mx_hostname, f.receiving_mx_helo, f.receiving_ip, f.failed_sessions,
                f.failure_reason_code, f.additional_information
            FROM failure f JOIN policy p ON p.id = f.policy JOIN report r ON r.id = f.report
            WHERE \(condition)
            """
        if resultType { sql += " AND f.result_type = ?" }
        if mxHost { sql += " AND f.receiving_mx_hostname = ?" }
        sql += " ORDER BY r.start_time DESC, \(dialect.bytewise("r.organization")), f.id"
        if limit { sql += " LIMIT ?" }
        return sql
    }
}
