package import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
package import TLSRPTStore

/// The reports in a PostgreSQL database, for installations where several collectors on several hosts (two
/// `serve` behind a load balancer, `ingest -` on each MX host, a `watch`) write to one database.
///
/// Same semantics as the SQLite ``ReportStore``, through ``ReportStorage``. What differs is how they hold
/// under concurrent writers on several hosts: a batch takes a transaction-scoped advisory lock on each report
/// identity it writes (sorted, so two batches never wait on each other in a cycle) before it looks them up,
/// so two collectors storing the same report at once store it once; seen inputs and rejections are upserts;
/// migrations run under a lock of their own. Batches are written with one multi-row statement per table.
///
/// Reads add up the raw rows (PostgreSQL's aggregates are fast at this size) rather than keeping the SQLite
/// store's day rollups, so concurrent writers never contend on a rollup row.
package final class PostgresReportStore: Sendable {
    package let url: PostgresURL
    private let configuration: PostgresConnection.Configuration
    private let idle = NIOLockedValueBox<[PostgresSession]>([])
    /// Numbers the connections for postgres-nio's log metadata.
    private let connectionCount = NIOLockedValueBox(0)
    private let logger: Logger
    /// How many idle connections are kept for reuse (the endpoint's commit queue, its readers).
    private let maxIdle = 8

    package var location: String { url.redacted }

    /// Connects, creating the schema or upgrading it on first use.
    package init(url: PostgresURL) throws(StoreError) {
        let logger = Logger(label: "tlsrpt.postgres")
        self.url = url
        self.logger = logger
        do {
            self.configuration = try Self.configuration(url)
        } catch {
            throw StoreError(.cannotOpen, "cannot use \(url.redacted): \(error)")
        }
        try withSession(doing: "open") { session in try PostgresSchema.migrate(session) }
    }

    private static func configuration(_ url: PostgresURL) throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        switch url.sslMode {
        case .disable:
            tls = .disable
        case .allow, .prefer:
            var settings = TLSConfiguration.makeClientConfiguration()
            settings.certificateVerification = .none
            tls = .prefer(try NIOSSLContext(configuration: settings))
        case .require:
            var settings = TLSConfiguration.makeClientConfiguration()
            settings.certificateVerification = .none
            tls = .require(try NIOSSLContext(configuration: settings))
        case .verifyCA, .verifyFull:
            var settings = TLSConfiguration.makeClientConfiguration()
            settings.certificateVerification = url.sslMode == .verifyFull ? .fullVerification : .noHostnameVerification
            tls = .require(try NIOSSLContext(configuration: settings))
        }
        if url.host.hasPrefix("/") {
            return PostgresConnection.Configuration(
                unixSocketPath: "\(url.host)/.s.PGSQL.\(url.port)", username: url.user, password: url.password, database: url.database)
        }
        var configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database, tls: tls)
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }

    /// Runs `body` on a connection from the pool (a new one when none is idle), returning it afterwards unless
    /// it broke. Failures become a ``StoreError`` naming the database: a connection that cannot be made or
    /// was lost is `.busy` ("try again later": exit 75 for `ingest -`, 503 for the endpoint).
    func withSession<T>(doing action: String, _ body: (PostgresSession) throws -> T) throws(StoreError) -> T {
        var reused: PostgresSession?
        // Connections the server closed while they waited (a restart, an idle timeout) are dropped here.
        while let candidate = idle.withLockedValue({ $0.popLast() }) {
            if !candidate.connection.isClosed {
                reused = candidate
                break
            }
            try? candidate.connection.close().wait()
        }
        let session: PostgresSession
        if let reused {
            session = reused
        } else {
            do {
                let connection = try PostgresConnection.connect(
                    on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: connectionCount.withLockedValue { $0 += 1; return $0 }, logger: logger
                ).wait()
                session = PostgresSession(connection: connection, logger: logger)
            } catch {
                // A refused login or a database that does not exist will not mend by itself; anything else
                // (no route, refused, timed out, the server starting up) may.
                if Self.isPermanent(error) {
                    throw StoreError(.cannotOpen, "cannot open the database \(url.redacted): \(Self.describe(error))")
                }
                throw StoreError(.busy, "cannot connect to the database \(url.redacted): \(Self.describe(error)); try again later")
            }
        }
        do {
            let result = try body(session)
            release(session)
            return result
        } catch {
            release(session)
            if let error = error as? StoreError { throw error }
            if session.broken {
                throw StoreError(.busy, "lost the connection to the database \(url.redacted) (\(Self.describe(error))); try again later")
            }
            throw StoreError(.other, "cannot \(action) the database \(url.redacted): \(Self.describe(error))")
        }
    }

    private func release(_ session: PostgresSession) {
        if session.broken || session.connection.isClosed {
            try? session.connection.close().wait()
            return
        }
        let kept = idle.withLockedValue { sessions -> Bool in
            guard sessions.count < maxIdle else { return false }
            sessions.append(session)
            return true
        }
        if !kept { try? session.connection.close().wait() }
    }

    /// The idle connections are closed with the store (postgres-nio wants a connection closed before it goes).
    deinit {
        for session in idle.withLockedValue({ $0 }) { try? session.connection.close().wait() }
    }

    func write<T>(_ action: String = "write to", _ body: (PostgresSession) throws -> T) throws(StoreError) -> T {
        try withSession(doing: action) { session in try session.transaction(body) }
    }

    /// Reads in one snapshot (REPEATABLE READ), so that several queries agree while others write.
    func read<T>(_ body: (PostgresSession) throws -> T) throws(StoreError) -> T {
        try withSession(doing: "read") { session in try session.transaction(readOnly: true, body) }
    }

    /// The server's own words for a failure, one line; for a failure of the connection itself, its cause
    /// (a refused connection, a certificate that does not verify).
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            if error.code == .authMechanismRequiresPassword { return "the server asks for a password and none was given (PGPASSWORD, ~/.pgpass)" }
            if let underlying = error.underlying { return "\(error.code): \(underlying)" }
            return "\(error.code)"
        }
        return String(describing: error)
    }

    /// Failures to connect that will not mend by waiting: a refused login, a database that does not exist,
    /// no password to give, a certificate that does not verify. Anything else (no route, refused, timed out,
    /// the server starting up) may, and is "try again later".
    static func isPermanent(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError else { return false }
        if let state = error.serverInfo?[.sqlState] { return state.hasPrefix("28") || state == "3D000" }
        if [.authMechanismRequiresPassword, .unsupportedAuthMechanism, .sslUnsupported].contains(error.code) { return true }
        return error.underlying is NIOSSLError || error.underlying is BoringSSLError
    }
}

extension PostgresReportStore: ReportStorage {}
