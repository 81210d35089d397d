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
