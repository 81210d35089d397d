public import Foundation

/// Runs the real `tlsrpt` executable, for the few end-to-end tests that must see exit codes and output
/// exactly as a user or cron does.
public struct TLSRPTProcess {
    public typealias Output = ProcessRunner.Output

    /// The built executable: `$TLSRPT_BIN` (or `$TLSRPT_BINARY`, e.g. the static build), else beside the test
    /// bundle, else `.build/debug/tlsrpt`.
    public static var executable: URL {
        for variable in ["TLSRPT_BIN", "TLSRPT_BINARY"] {
            if let path = ProcessInfo.processInfo.environment[variable], !path.isEmpty { return URL(fileURLWithPath: path) }
        }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("tlsrpt")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return Fixtures.repositoryRoot.appendingPathComponent(".build/debug/tlsrpt")
    }

    /// Starts `tlsrpt arguments...` without waiting, its output discarded, for tests that kill or race it.
    public static func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs `tlsrpt arguments...` to completion, feeding `input` on standard input.
    public static func run(_ arguments: [String], input: [UInt8]? = nil, environment: [String: String] = [:]) throws -> Output {
        let inPipe = Pipe()
        return try complete(executable, arguments, standardInput: inPipe, environment: environment) {
            if let input { inPipe.fileHandleForWriting.write(Data(input)) }
            try inPipe.fileHandleForWriting.close()
        }
    }

    /// Runs `/bin/sh -c script` with `$TLSRPT` naming the executable, for tests that set up the process as
    /// a shell would (a umask, a pipe).
    public static func runShell(_ script: String) throws -> Output {
        try complete(
            URL(fileURLWithPath: "/bin/sh"), ["-c", script], standardInput: FileHandle.nullDevice,
            environment: ["TLSRPT": executable.path])
    }

    /// Runs a command to completion in the test environment and collects its output (see ``ProcessRunner``).
    static func complete(
        _ executable: URL, _ arguments: [String], standardInput: Any, environment: [String: String],
        afterStart: () throws -> Void = {}
    ) throws -> Output {
        try ProcessRunner.run(executable, arguments, standardInput: standardInput, environment: environment, afterStart: afterStart)
    }
}
