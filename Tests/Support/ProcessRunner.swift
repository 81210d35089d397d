public import Foundation

/// The one way tests run another program (the built `tlsrpt`, curl, openssl, python3) and collect what it
/// printed. The test environment's `TLSRPT_DB` is removed, so no test touches a real database.
public enum ProcessRunner {
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `executable arguments...` to completion; `afterStart` feeds standard input when it is a pipe.
    public static func run(
        _ executable: URL, _ arguments: [String], standardInput: Any = FileHandle.nullDevice, environment: [String: String] = [:],
        afterStart: () throws -> Void = {}
    ) throws -> Output {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = testEnvironment(environment)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = standardInput
        try process.run()
        try afterStart()
        // Read both pipes before waiting, so a chatty process cannot block on a full pipe.
        nonisolated(unsafe) var errData = Data()
        let errReader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
        errReader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errReader.isFinished { usleep(1000) }
        return Output(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs a program found on the `PATH` (`python3`, `gzip`) to completion.
    public static func run(command: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Output {
        try run(URL(fileURLWithPath: "/usr/bin/env"), [command] + arguments, environment: environment)
    }

    /// ``run(_:_:standardInput:environment:afterStart:)`` for async tests: waiting is asynchronous on purpose.
    /// An in-process server's handlers run on Swift's cooperative pool (two threads on a two-core machine),
    /// so a test that blocked a pool thread waiting for curl, while curl waits for that server, could
    /// deadlock the whole test run. Output goes to files, read after the exit.
    public static func run(_ executable: String, _ arguments: [String]) async throws -> Output {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tlsrpt-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outURL = folder.appendingPathComponent("stdout")
        let errURL = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = testEnvironment([:])
        process.standardOutput = outHandle
        process.standardError = errHandle
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        try outHandle.close()
        try errHandle.close()
        return Output(
            status: status, stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }

    /// `curl`'s HTTP status for a request (0 when no response arrived).
    public static func curlStatus(_ arguments: [String]) async throws -> Int {
        let output = try await run("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}"] + arguments)
        return Int(output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// Runs blocking work on a thread of its own, off the cooperative pool.
    public static func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: work()) }.start()
        }
    }

    static func testEnvironment(_ extra: [String: String]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "TLSRPT_DB")
        environment.merge(extra) { $1 }
        return environment
    }
}
