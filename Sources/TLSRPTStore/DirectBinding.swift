import Foundation
import GRDB
import GRDBSQLite

/// Runs one of GRDB's cached statements with its parameters bound straight through SQLite's C interface.
///
/// The insert runs a dozen statements per report, and building `StatementArguments` for each (an array
/// of existentials converted to `DatabaseValue`s) took about 40% of the commit's CPU in profiles of a
/// 10,000-report ingest. GRDB still prepares, caches and finalises the statements and owns the
/// transaction; this only binds and steps.
struct DirectBinding {
    private let statement: SQLiteStatement
    private let db: Database
    private var index: Int32 = 0

    init(_ statement: Statement, _ db: Database) {
        self.statement = statement.sqliteStatement
        self.db = db
        sqlite3_reset(self.statement)
        sqlite3_clear_bindings(self.statement)
    }

    mutating func bind(_ value: String?) {
        index += 1
        guard let value else { return }  // cleared bindings are NULL
        var text = value
        text.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                if let base = chars.baseAddress {
                    _ = sqlite3_bind_text(statement, index, base, Int32(chars.count), Self.transient)
                } else {
                    // A NULL pointer would bind NULL; the empty string is a value.
                    _ = sqlite3_bind_text(statement, index, "", 0, Self.transient)
                }
            }
        }
    }

    mutating func bind(_ value: Int64?) {
        index += 1
        guard let value else { return }
        sqlite3_bind_int64(statement, index, value)
    }

    mutating func bind(_ value: Int) {
        bind(Int64(value))
    }

    mutating func bind(_ value: Bool) {
        bind(Int64(value ? 1 : 0))
    }

    mutating func bind(blob: [UInt8]?) {
        index += 1
        guard let blob else { return }
        blob.withUnsafeBytes { buffer in
            // A zero-length blob still needs a non-NULL pointer to be stored as a blob, not as NULL.
            _ = sqlite3_bind_blob(statement, index, buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(buffer.count), Self.transient)
        }
    }

    /// Runs a statement that returns no rows.
    func execute() throws {
        let code = sqlite3_step(statement)
        defer { sqlite3_reset(statement) }
        guard code == SQLITE_DONE else { throw error(code) }
    }

    /// Runs a query and hands each row to `body`.
    func forEachRow(_ body: (Row) throws -> Void) throws {
        defer { sqlite3_reset(statement) }
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw error(code) }
            try body(Row(statement: statement))
        }
    }

    /// Runs a query whose arguments GRDB binds, and hands each row to `body` to read in place. The summary
    /// reads tens of thousands of rollup rows; materialising each as a GRDB `Row` and converting its values
    /// through `DatabaseValueConvertible` was a third of `summary --all`.
    static func forEachRow(
        _ db: Database, sql: String, arguments: StatementArguments, _ body: (Row) throws -> Void
    ) throws {
        let statement = try db.cachedStatement(sql: sql)
        try statement.setArguments(arguments)
        let binding = DirectBinding(bound: statement, db)
        try binding.forEachRow(body)
    }

    private init(bound statement: Statement, _ db: Database) {
        self.statement = statement.sqliteStatement
        self.db = db
    }

    /// One result row of `forEachRow`, read in place.
    struct Row {
        let statement: SQLiteStatement

        func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }

        /// The column as text (NULL reads as the empty string, as the rollups store "none").
        func text(_ column: Int32) -> String {
            let count = Int(sqlite3_column_bytes(statement, column))
            guard count > 0, let pointer = sqlite3_column_text(statement, column) else { return "" }
            return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
        }

        /// The column as text, nil for NULL.
        func optionalText(_ column: Int32) -> String? {
            sqlite3_column_type(statement, column) == SQLITE_NULL ? nil : text(column)
        }

        /// A rollup key column, where the empty string stands for "none".
        func key(_ column: Int32) -> String? {
            let value = text(column)
            return value.isEmpty ? nil : value
        }

        func blob(_ column: Int32) -> [UInt8] {
            let count = Int(sqlite3_column_bytes(statement, column))
            guard count > 0, let pointer = sqlite3_column_blob(statement, column) else { return [] }
            return Array(UnsafeRawBufferPointer(start: pointer, count: count))
        }
    }

    private func error(_ code: Int32) -> DatabaseError {
        let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sqlite3_sql(statement).map { String(cString: $0) })
    }

    /// SQLITE_TRANSIENT: SQLite copies the bytes, so Swift's buffers need not outlive the call.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
}
