import GRDB

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
