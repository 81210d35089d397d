import GRDB
import TLSRPTCore

/// The SQL both backends speak, and where they differ: what the shared query builders (``ReportFilter``'s
/// conditions) need to know to write for one or the other.
package enum SQLDialect: Sendable {
    case sqlite, postgres

    /// `column = ?`, ignoring ASCII case (a sender's organisation name).
    func caseInsensitiveEquals(_ column: String) -> String {
        switch self {
        case .sqlite: "\(column) = ? COLLATE NOCASE"
        case .postgres: "lower(\(column)) = lower(?)"
        }
    }

    /// The saturated sum of a column over a group, as ``CountSum`` adds: exact up to 2^53, the ceiling beyond,
    /// never an error (SQLite's SUM fails past 64 bits; PostgreSQL's SUM of bigints is a numeric).
    package func sum(_ column: String) -> String {
        switch self {
        case .sqlite: CountSQL.sum(column)
        case .postgres: "LEAST(COALESCE(SUM(\(column)), 0), \(CountSum.ceiling))::bigint"
        }
    }

    /// A text column ordered byte by byte, as SQLite's default collation orders it (PostgreSQL's follows the
    /// database's locale unless told).
    func bytewise(_ column: String) -> String {
        switch self {
        case .sqlite: column
        case .postgres: "\(column) COLLATE \"C\""
        }
    }

    /// The relation the aggregate queries read policies from, as `p`, each with its report as `r` (`r.id`,
    /// `r.organization`, `r.start_time`, `r.end_time`, `r.counts`). SQLite joins the tables; the PostgreSQL
    /// store keeps those report columns on each policy row, and the join it saves was most of a summary's time.
    package var policiesWithReports: String {
        switch self {
        case .sqlite: "policy p JOIN report r ON r.id = p.report"
        case .postgres:
            "policy p CROSS JOIN LATERAL (SELECT p.report AS id, p.report_organization AS organization, p.report_start AS start_time, "
                + "p.report_end AS end_time, p.report_counts AS counts) AS r"
        }
    }

    /// The same for failure details as `f`, with their policy as `p` (`p.policy_domain`, `p.policy_type`,
    /// `p.policy_strings`, `p.counted`) and report as `r`.
    package var failuresWithPoliciesAndReports: String {
        switch self {
        case .sqlite: "failure f JOIN policy p ON p.id = f.policy JOIN report r ON r.id = f.report"
        case .postgres:
            "failure f CROSS JOIN LATERAL (SELECT f.policy_domain, f.policy_type, f.policy_strings, f.policy_counted AS counted) AS p "
                + "CROSS JOIN LATERAL (SELECT f.report AS id, f.report_organization AS organization, f.report_start AS start_time, "
                + "f.report_end AS end_time, f.report_counts AS counts) AS r"
        }
    }

    /// `column = domain`, as the index on policy domains can answer it. PostgreSQL's index is on the first 200
    /// characters (a B-tree refuses keys past 2,704 bytes, and a policy domain is written by a stranger); the
    /// full comparison then settles it.
    func domainEquals(_ column: String, _ domain: String) -> (sql: String, arguments: [SQLArgument]) {
        switch self {
        case .sqlite: ("\(column) = ?", [.text(domain)])
        case .postgres: ("(left(\(column), 200) = left(?, 200) AND \(column) = ?)", [.text(domain), .text(domain)])
        }
    }

    /// `column IN (domains)`, the same way; an empty set matches nothing.
    func domainIn(_ column: String, _ domains: [String]) -> (sql: String, arguments: [SQLArgument]) {
        guard !domains.isEmpty else { return ("\(column) IN (NULL)", []) }
        let list = Array(repeating: "?", count: domains.count).joined(separator: ", ")
        switch self {
        case .sqlite: return ("\(column) IN (\(list))", domains.map(SQLArgument.text))
        case .postgres:
            let prefixes = Array(repeating: "left(?, 200)", count: domains.count).joined(separator: ", ")
            return ("(left(\(column), 200) IN (\(prefixes)) AND \(column) IN (\(list)))", (domains + domains).map(SQLArgument.text))
        }
    }

    /// `a = b`, where two NULLs are equal.
    func nullSafeEquals(_ a: String, _ b: String) -> String {
        switch self {
        case .sqlite: "\(a) IS \(b)"
        case .postgres: "\(a) IS NOT DISTINCT FROM \(b)"
        }
    }
}

/// A value a shared query is given for one of its `?`.
package enum SQLArgument: Sendable, Equatable {
    case integer(Int64)
    case text(String)

    var databaseValue: DatabaseValue {
        switch self {
        case .integer(let value): value.databaseValue
        case .text(let value): value.databaseValue
        }
    }
}
