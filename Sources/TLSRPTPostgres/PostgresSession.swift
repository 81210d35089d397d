import Logging
import NIOCore
import PostgresNIO
import TLSRPTStore

/// A value bound to one `$n` of a statement.
enum PostgresValue: Sendable {
    case null
    case integer(Int64)
    case text(String)
    case bytes([UInt8])
    case integers([Int64])
    case texts([String])
    case byteArrays([[UInt8]])

    init(_ text: String?) { self = text.map { .text($0) } ?? .null }
    init(_ number: Int64?) { self = number.map { .integer($0) } ?? .null }
    init(_ flag: Bool) { self = .integer(flag ? 1 : 0) }
    init(_ data: [UInt8]?) { self = data.map { .bytes($0) } ?? .null }

    init(_ argument: SQLArgument) {
        switch argument {
        case .integer(let value): self = .integer(value)
        case .text(let value): self = .text(value)
        }
    }
}

/// One connection, used by one thread at a time, with the synchronous calls the store is written in.
///
/// The store's callers are synchronous (the ingest's committing thread, the endpoint's commit queue), so each
/// call waits on postgres-nio's future on the calling thread; the I/O runs on NIO's event loops, never on the
/// Swift concurrency pool, so a caller that blocks a pool thread cannot starve the reply it waits for.
/// `@unchecked Sendable`: a session is only ever used by the one thread that took it from the pool, and is
/// handed between threads only through the pool's lock.
final class PostgresSession: @unchecked Sendable {
    let connection: PostgresConnection
    let logger: Logger
    /// Set when a query failed in a way that leaves the connection unusable (closed, timed out): the pool
    /// then drops it instead of handing it out again.
    private(set) var broken = false

    init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// How long one statement may take before the connection is given up as lost. A connection whose server
    /// went away without a word (a host that died, a network that dropped it) would otherwise be waited on for
    /// ever; a statement of ours that is merely slow takes far less. `prune` and `copy` at scale set more.
    var deadline: TimeAmount = .seconds(300)

    /// Runs one statement (`?` for each argument, in order) and returns its rows.
    @discardableResult
    func rows(_ sql: String, _ arguments: [PostgresValue] = []) throws -> [PostgresRow] {
        try run(sql, arguments).rows
    }

    /// Runs one statement and returns how many rows it changed.
    @discardableResult
    func execute(_ sql: String, _ arguments: [PostgresValue] = []) throws -> Int {
        try run(sql, arguments).metadata.rows ?? 0
    }

    private func run(_ sql: String, _ arguments: [PostgresValue]) throws -> PostgresQueryResult {
        // postgres-nio leaves a query on a connection the server has closed unanswered: never send one there.
        guard !connection.isClosed else {
            broken = true
            throw PostgresSessionError.closed
        }
        let query = PostgresQuery(unsafeSQL: Self.numbered(sql), binds: Self.bindings(arguments))
        let eventLoop = connection.eventLoop
        let answer = eventLoop.makePromise(of: PostgresQueryResult.self)
        connection.query(query, logger: logger).cascade(to: answer)
        let deadline = self.deadline
        let timeout = eventLoop.scheduleTask(in: deadline) { answer.fail(PostgresSessionError.timedOut(deadline)) }
        do {
            let result = try answer.futureResult.wait()
            timeout.cancel()
            return result
        } catch {
            timeout.cancel()
            if !Self.isStatementError(error) {
                broken = true
                // A connection that timed out may still be open; it is not handed out again.
                let closing: EventLoopFuture<Void> = connection.close()
                closing.whenComplete { _ in }
            }
            throw error
        }
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(readOnly: Bool = false, _ body: (PostgresSession) throws -> T) throws -> T {
        try execute(readOnly ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN")
        // No JIT compilation: the store's statements are planned as costly (a batch's look-ups, a period's
        // aggregates) and run in milliseconds to a few hundred, less than JIT takes to compile them.
        try execute("SELECT set_config('jit', 'off', true)\(readOnly ? ", set_config('work_mem', '64MB', true)" : "")")
        do {
            let result = try body(self)
            try execute("COMMIT")
            return result
        } catch {
            if !broken { _ = try? execute("ROLLBACK") }
            throw error
        }
    }

    /// A server's answer to one statement (a constraint, a syntax error) leaves the connection usable;
    /// anything else (closed, timed out, a protocol error) does not.
    static func isStatementError(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError else { return false }
        return error.code == .server
    }

    /// The SQLSTATE of a server error, e.g. `40P01` for a deadlock.
    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    /// `?` → `$1`, `$2`, … outside quoted text, so that the store's SQL reads like the SQLite store's.
    static func numbered(_ sql: String) -> String {
        var result = ""
        result.reserveCapacity(sql.utf8.count + 16)
        var number = 0
        var quote: Character?
        for character in sql {
            if let open = quote {
                if character == open { quote = nil }
                result.append(character)
            } else if character == "'" || character == "\"" {
                quote = character
                result.append(character)
            } else if character == "?" {
                number += 1
                result += "$\(number)"
            } else {
                result.append(character)
            }
        }
        return result
    }

    static func bindings(_ arguments: [PostgresValue]) -> PostgresBindings {
        var bindings = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            switch argument {
            case .null: bindings.appendNull()
            case .integer(let value): bindings.append(value)
            case .text(let value): bindings.append(storable(value))
            case .bytes(let value): bindings.append(ByteBuffer(bytes: value))
            case .integers(let values): bindings.append(values)
            case .texts(let values): bindings.append(values.map(storable))
            case .byteArrays(let values): bindings.append(values.map { ByteBuffer(bytes: $0) })
            }
        }
        return bindings
    }

    /// PostgreSQL's text cannot hold U+0000, which JSON can: a report naming a host "a\u0000b" would fail its
    /// whole batch. It is stored as U+FFFD, as an unreadable character is shown; the raw report keeps the original.
    static func storable(_ text: String) -> String {
        text.utf8.contains(0) ? String(text.map { $0 == "\u{0}" ? "\u{FFFD}" : $0 }) : text
    }
}

/// Why a session could not run a statement, beside the server's own errors.
enum PostgresSessionError: Error, CustomStringConvertible {
    /// The connection was closed (by the server, a restart, an idle timeout) while it waited in the pool.
    case closed
    /// No answer within the deadline.
    case timedOut(TimeAmount)

    var description: String {
        switch self {
        case .closed: "the server closed the connection"
        case .timedOut(let deadline): "no answer within \(deadline.nanoseconds / 1_000_000_000) s"
        }
    }
}

/// Reading the columns of a row by position, as the SQLite store's rows are read.
struct PostgresColumns {
    let row: PostgresRandomAccessRow

    init(_ row: PostgresRow) { self.row = row.makeRandomAccess() }

    func int64(_ column: Int) throws -> Int64 { try row[column].decode(Int64.self) }
    func optionalInt64(_ column: Int) throws -> Int64? { try row[column].decode(Int64?.self) }
    func int(_ column: Int) throws -> Int { Int(try int64(column)) }
    func text(_ column: Int) throws -> String { try row[column].decode(String.self) }
    func optionalText(_ column: Int) throws -> String? { try row[column].decode(String?.self) }
    /// A key column where the empty string stands for "none", as in the SQLite store's rollups.
    func key(_ column: Int) throws -> String? { try optionalText(column).flatMap { $0.isEmpty ? nil : $0 } }
    func bool(_ column: Int) throws -> Bool {
        if let flag = try? row[column].decode(Bool.self) { return flag }
        return try int64(column) != 0
    }
    func bytes(_ column: Int) throws -> [UInt8] { Array(buffer: try row[column].decode(ByteBuffer.self)) }
    func optionalBytes(_ column: Int) throws -> [UInt8]? { try row[column].decode(ByteBuffer?.self).map { Array(buffer: $0) } }
}
