import ArgumentParser
import Foundation
import TLSRPTCore
import TLSRPTPostgres
import TLSRPTStore

/// `--db`, shared by every command.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The database: an SQLite file (the default is under $XDG_DATA_HOME), or a postgresql:// URL "
                + "(password from PGPASSWORD or ~/.pgpass). Also $TLSRPT_DB.", valueName: "path|url"))
    var db: String?

    @Option(
        name: .long,
        help: ArgumentHelp("How long to wait for another process's write lock before giving up.", valueName: "seconds"))
    var busyTimeout: Double = 30

    func validate() throws {
        if !(busyTimeout >= 0) { throw ValidationError("--busy-timeout must be a number of seconds, 0 or more") }
    }

    /// `--db`, else `$TLSRPT_DB`, else the XDG data folder.
    var resolvedPath: String {
        if let db { return db }
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["TLSRPT_DB"], !path.isEmpty { return path }
        if let data = environment["XDG_DATA_HOME"], !data.isEmpty { return "\(data)/tlsrpt/tlsrpt.sqlite" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return "\(home)/.local/share/tlsrpt/tlsrpt.sqlite"
    }

    /// Where the database is: an SQLite file, or a PostgreSQL server.
    enum Location {
        case sqlite(path: String)
        case postgres(PostgresURL)
    }

    /// ``resolvedPath`` read as a location; a `postgresql://` or `postgres://` URL is a PostgreSQL database.
    /// Exits with `exitCode` and a one-line message when it is a URL of another kind or a malformed one.
    func location(exitCode: Int32 = 2) throws -> Location {
        let path = resolvedPath
        if PostgresURL.isURL(path) {
            return .postgres(try Console.orExit(exitCode) { try PostgresURL(path) })
        }
        // `mysql://…` taken as a path would make a folder named `mysql:`: a URL is refused, saying why.
        if let scheme = Self.urlScheme(path) {
            Console.error(
                "\(UntrustedText.sanitised(scheme))://… is a database URL of a kind tlsrpt does not store in: give --db (or TLSRPT_DB) "
                    + "the path of an SQLite file, or a postgresql:// URL")
            throw ExitCode(exitCode)
        }
        return .sqlite(path: path)
    }

    /// Opens the database, or exits with status `exitCode` (2 unless a command's contract says otherwise)
    /// and a one-line message.
    func open(exitCode: Int32 = 2) throws -> any ReportStorage {
        switch try location(exitCode: exitCode) {
        case .sqlite(let path):
            return try Console.orExit(exitCode) { try ReportStore(path: path, busyTimeout: busyTimeout) }
        case .postgres(let url):
            return try Console.orExit(exitCode) { try PostgresReportStore(url: url) }
        }
    }

    /// `postgresql` of `postgresql://host/db` (an RFC 3986 scheme before `://`); nil for a path.
    static func urlScheme(_ path: String) -> String? {
        guard let end = path.range(of: "://")?.lowerBound else { return nil }
        let scheme = path[..<end]
        let letters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        guard let first = scheme.first, letters.contains(first), scheme.allSatisfy({ letters.contains($0) || "0123456789+-.".contains($0) })
        else { return nil }
        return String(scheme)
    }
}

/// Where messages for people go: results to stdout, problems to stderr, one line each.
enum Console {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data("tlsrpt: \(message)\n".utf8))
    }

    static func warn(_ message: String) {
        FileHandle.standardError.write(Data("\(message)\n".utf8))
    }

    /// Runs `body`; when it fails, prints the error's one line and exits with `status` (2, unless a
    /// command's contract says otherwise). An `ExitCode` thrown inside passes through.
    static func orExit<T>(_ status: Int32 = 2, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            Console.error(line(error))
            throw ExitCode(status)
        }
    }

    /// ``orExit(_:_:)`` for work that waits.
    static func orExit<T>(_ status: Int32 = 2, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            Console.error(line(error))
            throw ExitCode(status)
        }
    }

    /// An error as one line: our errors' message, another's description.
    static func line(_ error: any Error) -> String {
        (error as? any CodedError)?.message ?? String(describing: error)
    }
}
