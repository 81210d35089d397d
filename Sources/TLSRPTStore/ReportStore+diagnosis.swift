import Foundation
import GRDB
import TLSRPTCore

/// What the diagnosis reads from the store: failure details grouped with the policy they were reported
/// under, the MTA-STS policies senders quoted, successes per sender and domain, and daily totals.
///
/// Everything is aggregated in SQL (grouped by what a rule can tell apart), so a year of reports still
/// arrives as a few hundred rows, never as individual reports.
public struct DiagnosisEvidence: Sendable {
    /// Failure details grouped by (sender, policy domain, policy, result type, host, reason, information).
    public var failures: [FailureGroup] = []
    /// The distinct MTA-STS policies senders quoted per domain, newest first.
    public var stsPolicies: [QuotedSTSPolicy] = []
    /// Counted sessions per (sender, policy domain).
    public var sessions: [SenderSessions] = []

    public init(failures: [FailureGroup] = [], stsPolicies: [QuotedSTSPolicy] = [], sessions: [SenderSessions] = []) {
        self.failures = failures
        self.stsPolicies = stsPolicies
        self.sessions = sessions
    }

    /// Failure details that share everything a diagnosis distinguishes, with when and how often.
    public struct FailureGroup: Sendable, Equatable {
        public var sender: String
        public var domain: String?
        /// `sts`, `tlsa`, `no-policy-found` or an unknown type as sent.
        public var policyType: String
        /// For `sts` policies: the policy as the sender quoted it, parsed.
        public var stsPolicy: STSPolicy?
        public var resultType: ResultType
        /// Distinct raw spellings of the result type, when one differs from the canonical name.
        public var resultTypeRaw: [String]
        public var mxHost: String?
        public var receivingIPs: [String]
        public var reasonCode: String?
        public var additionalInformation: String?
        public var failed: Int64
        public var reports: Int64
        /// Start of the earliest and latest report holding such failures.
        public var firstSeen: Date
        public var lastSeen: Date

        public init(
            sender: String, domain: String?, policyType: String, stsPolicy: STSPolicy? = nil, resultType: ResultType,
            resultTypeRaw: [String] = [], mxHost: String?, receivingIPs: [String] = [],
            reasonCode: String? = nil, additionalInformation: String? = nil, failed: Int64, reports: Int64 = 1,
            firstSeen: Date, lastSeen: Date
        ) {
            self.sender = sender
            self.domain = domain
            self.policyType = policyType
            self.stsPolicy = stsPolicy
            self.resultType = resultType
            self.resultTypeRaw = resultTypeRaw
            self.mxHost = mxHost
            self.receivingIPs = receivingIPs
            self.reasonCode = reasonCode
            self.additionalInformation = additionalInformation
            self.failed = failed
            self.reports = reports
            self.firstSeen = firstSeen
            self.lastSeen = lastSeen
        }
    }

    /// One MTA-STS policy text as senders quoted it for a domain.
    public struct QuotedSTSPolicy: Sendable, Equatable {
        public var domain: String?
        public var policy: STSPolicy
        /// The `policy-string` lines as sent.
        public var lines: [String]
        public var reports: Int64
        public var lastSeen: Date

        public init(domain: String?, policy: STSPolicy, lines: [String], reports: Int64, lastSeen: Date) {
            self.domain = domain
            self.policy = policy
            self.lines = lines
            self.reports = reports
            self.lastSeen = lastSeen
        }
    }

    /// Counted sessions of one sender for one policy domain.
    public struct SenderSessions: Sendable, Equatable {
        public var sender: String
        public var domain: String?
        public var successful: Int64
        public var failed: Int64

        public init(sender: String, domain: String?, successful: Int64, failed: Int64) {
            self.sender = sender
            self.domain = domain
            self.successful = successful
            self.failed = failed
        }
    }
}

/// Counted sessions of one policy domain on one UTC day (by report start), for the daily chart.
public struct DailyTotals: Sendable, Equatable {
    public var domain: String?
    public var day: Date
    public var successful: Int64
    public var failed: Int64

    public init(domain: String?, day: Date, successful: Int64, failed: Int64) {
        self.domain = domain
        self.day = day
        self.successful = successful
        self.failed = failed
    }
}

/// One stored failure detail with its report and policy, for `tlsrpt failures`.
public struct FailureDetailRow: Sendable, Equatable {
    public var reportStart: Date
    public var sender: String
    public var reportID: String
    public var domain: String?
    public var policyType: String
    public var resultType: String
    public var sendingMTAIP: String?
    public var mxHost: String?
    public var mxHelo: String?
    public var receivingIP: String?
    public var failed: Int64
    public var reasonCode: String?
    public var additionalInformation: String?
}

/// Narrows `tlsrpt failures` beyond the period filters.
public struct FailureRowFilter: Sendable, Equatable {
    public var report: ReportFilter
    /// Canonical result type name.
    public var resultType: String?
    /// Normalised MX host name.
    public var mxHost: String?
    public var limit: Int?

    public init(report: ReportFilter, resultType: String? = nil, mxHost: String? = nil, limit: Int? = nil) {
        self.report = report
        self.resultType = resultType
        self.mxHost = mxHost
        self.limit = limit
    }
}

extension ReportStore {
    /// The evidence the diagnosis rules read, for the reports `filter` selects.
    public func diagnosisEvidence(_ filter: ReportFilter) throws(StoreError) -> DiagnosisEvidence {
        try read { db in
            let condition = filter.conditions(policyAlias: "p")
            var evidence = DiagnosisEvidence()
            // SQLite's GROUP_CONCAT(DISTINCT x) takes no separator, so the default "," is used; IPs and
            // result-type spellings contain no comma worth keeping apart.
            let failureRows = try Row.fetchAll(
                db,
                sql: """
                    SELECT r.organization, p.policy_domain, p.policy_type, p.policy_strings, f.result_type,
                        GROUP_CONCAT(DISTINCT NULLIF(f.result_type_raw, f.result_type)), f.receiving_mx_hostname,
                        GROUP_CONCAT(DISTINCT f.receiving_ip), f.failure_reason_code, f.additional_information, SUM(f.failed_sessions),
                        COUNT(DISTINCT r.id), MIN(r.start_time), MAX(r.start_time)
                    FROM failure f JOIN policy p ON p.id = f.policy JOIN report r ON r.id = f.report
                    WHERE \(condition.sql)
                    GROUP BY r.organization, p.policy_domain, p.policy_type, p.policy_strings, f.result_type,
                        f.receiving_mx_hostname, f.failure_reason_code, f.additional_information
                    """,
                arguments: condition.arguments)
            evidence.failures = failureRows.map { row in
                let policyType: String = row[2]
                let strings = Self.decodePolicyStrings(row[3])
                return DiagnosisEvidence.FailureGroup(
                    sender: row[0], domain: row[1], policyType: policyType,
                    stsPolicy: policyType == "sts" && !strings.isEmpty ? STSPolicy.parse(strings) : nil,
                    resultType: ResultType(canonicalising: row[4]), resultTypeRaw: Self.list(row[5]), mxHost: row[6],
                    receivingIPs: Self.list(row[7]), reasonCode: row[8], additionalInformation: row[9], failed: row[10],
                    reports: row[11], firstSeen: Self.date(row[12]), lastSeen: Self.date(row[13]))
            }

            let policyRows = try Row.fetchAll(
                db,
                sql: """
                    SELECT p.policy_domain, p.policy_strings, COUNT(DISTINCT r.id), MAX(r.start_time)
                    FROM policy p JOIN report r ON r.id = p.report
                    WHERE p.policy_type = 'sts' AND p.policy_strings IS NOT NULL AND \(condition.sql)
                    GROUP BY p.policy_domain, p.policy_strings
                    ORDER BY MAX(r.start_time) DESC, COUNT(DISTINCT r.id) DESC
                    """,
                arguments: condition.arguments)
            evidence.stsPolicies = policyRows.map { row in
                let lines = Self.decodePolicyStrings(row[1])
                return DiagnosisEvidence.QuotedSTSPolicy(
                    domain: row[0], policy: STSPolicy.parse(lines), lines: lines, reports: row[2], lastSeen: Self.date(row[3]))
            }

            let sessionRows = try Row.fetchAll(
                db,
                sql: """
                    SELECT r.organization, p.policy_domain, SUM(p.successful), SUM(p.failed)
                    FROM policy p JOIN report r ON r.id = p.report
                    WHERE p.counted = 1 AND \(condition.sql)
                    GROUP BY r.organization, p.policy_domain
                    """,
                arguments: condition.arguments)
            evidence.sessions = sessionRows.map {
                DiagnosisEvidence.SenderSessions(sender: $0[0], domain: $0[1], successful: $0[2], failed: $0[3])
            }
            return evidence
        }
    }

    /// Counted sessions per policy domain and UTC day of the report's start, oldest first: whole days from
    /// the rollups, the partial days at the period's ends from the raw rows.
    public func dailyTotals(_ filter: ReportFilter) throws(StoreError) -> [DailyTotals] {
        try read { db in
            let split = DaySplit(filter)
            var totals: [DailyTotals] = []
            if let days = split.wholeDays {
                let condition = filter.rollupConditions(days: days)
                totals += try Row.fetchAll(
                    db,
                    sql: """
                        SELECT policy_domain, day * 86400, SUM(successful), SUM(failed) FROM rollup_session
                        WHERE \(condition.sql) GROUP BY policy_domain, day
                        """,
                    arguments: condition.arguments
                ).map {
                    let domain: String = $0[0]
                    return DailyTotals(domain: domain.isEmpty ? nil : domain, day: Self.date($0[1]), successful: $0[2], failed: $0[3])
                }
            }
            for edge in split.edges {
                let condition = edge.conditions(policyAlias: "p")
                totals += try Row.fetchAll(
                    db,
                    sql: """
                        SELECT p.policy_domain, (r.start_time / 86400) * 86400 AS day, SUM(p.successful), SUM(p.failed)
                        FROM policy p JOIN report r ON r.id = p.report
                        WHERE p.counted = 1 AND \(condition.sql)
                        GROUP BY p.policy_domain, day
                        """,
                    arguments: condition.arguments
                ).map { DailyTotals(domain: $0[0], day: Self.date($0[1]), successful: $0[2], failed: $0[3]) }
            }
            return totals.sorted { ($0.day, $0.domain ?? "") < ($1.day, $1.domain ?? "") }
        }
    }

    /// Failure details one by one, newest report first (the drill-down behind a summary line).
    public func failureRows(_ filter: FailureRowFilter) throws(StoreError) -> [FailureDetailRow] {
        try read { db in
            let condition = filter.report.conditions(policyAlias: "p")
            var sql = """
                SELECT r.start_time, r.organization, r.report_id, p.policy_domain, p.policy_type, f.result_type,
                    f.sending_mta_ip, f.receiving_mx_hostname, f.receiving_mx_helo, f.receiving_ip, f.failed_sessions,
                    f.failure_reason_code, f.additional_information
                FROM failure f JOIN policy p ON p.id = f.policy JOIN report r ON r.id = f.report
                WHERE \(condition.sql)
                """
            var arguments = condition.arguments
            if let resultType = filter.resultType {
                sql += " AND f.result_type = ?"
                arguments += [resultType]
            }
            if let host = filter.mxHost {
                sql += " AND f.receiving_mx_hostname = ?"
                arguments += [host]
            }
            sql += " ORDER BY r.start_time DESC, r.organization, f.id"
            if let limit = filter.limit {
                sql += " LIMIT ?"
                arguments += [limit]
            }
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                FailureDetailRow(
                    reportStart: Self.date(row[0]), sender: row[1], reportID: row[2], domain: row[3], policyType: row[4],
                    resultType: row[5], sendingMTAIP: row[6], mxHost: row[7], mxHelo: row[8], receivingIP: row[9],
                    failed: row[10], reasonCode: row[11], additionalInformation: row[12])
            }
        }
    }

    /// `policy_strings` is stored as a canonical JSON array of strings.
    static func decodePolicyStrings(_ stored: String?) -> [String] {
        guard let stored, let value = try? JSONParser().parse(Array(stored.utf8)), case .array(let elements) = value else { return [] }
        return elements.compactMap { if case .string(let text) = $0 { text } else { nil } }
    }

    static func list(_ concatenated: String?) -> [String] {
        guard let concatenated else { return [] }
        return concatenated.split(separator: ",").map(String.init).filter { !$0.isEmpty }.sorted()
    }

    static func date(_ seconds: Int64) -> Date {
        Date(timeIntervalSince1970: TimeInterval(seconds))
    }
}
