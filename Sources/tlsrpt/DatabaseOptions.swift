import ArgumentParser
import Foundation
import TLSRPTCore
import TLSRPTStore

/// `--db`, shared by every command.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The SQLite database.", valueName: "path"))
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

    /// Opens the database, or exits with status 2 and a one-line message.
    func open(exitCode: Int32 = 2) throws -> ReportStore {
        let path = resolvedPath
        // `postgresql://…` taken as a path made a folder named `postgresql:`: a URL is refused, saying why.
        if let scheme = Self.urlScheme(path) {
            Console.error(
                "\(UntrustedText.sanitised(scheme))://… is a database URL; this version stores reports in SQLite only: give --db (or TLSRPT_DB) "
                    + "the path of an SQLite file")
            throw ExitCode(exitCode)
        }
        return try Console.orExit(exitCode) { try ReportStore(path: path, busyTimeout: busyTimeout) }
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
