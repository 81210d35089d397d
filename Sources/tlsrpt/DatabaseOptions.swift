import ArgumentParser
import Foundation
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
        do {
            return try ReportStore(path: resolvedPath, busyTimeout: busyTimeout)
        } catch {
            Console.error(error.message)
            throw ExitCode(exitCode)
        }
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
}
