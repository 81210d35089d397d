import Foundation

/// Runs the real `tlsrpt` under `/usr/bin/time -v`, so a test sees its peak resident memory as the kernel
/// counted it, with standard input read from a file (a 100 MB input costs the test no memory) and an
/// optional wrapper command (`bash -c 'ulimit -f ...'`, `setpriv ...`) in front.
public enum MeasuredProcess {
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// Peak resident set size in bytes, nil when `/usr/bin/time` is not installed.
        public var peakRSS: Int?

        /// The stderr lines, without empty ones.
        public var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
    }

    public static var canMeasure: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/time") }

    /// Runs `wrapper + [tlsrpt] + arguments`, standard input from `stdinPath` (else empty).
    public static func run(
        _ arguments: [String], stdinPath: String? = nil, wrapper: [String] = [], environment: [String: String] = [:]
    ) throws -> Output {
        let stats = FileManager.default.temporaryDirectory.appendingPathComponent("tlsrpt-time-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: stats) }
        var command = wrapper + [TLSRPTProcess.executable.path] + arguments
        if canMeasure { command = ["/usr/bin/time", "-v", "-o", stats] + command }

        let output = try TLSRPTProcess.complete(
            URL(fileURLWithPath: command[0]), Array(command.dropFirst()),
            standardInput: stdinPath.flatMap { FileHandle(forReadingAtPath: $0) } ?? FileHandle.nullDevice, environment: environment)

        var peak: Int?
        if let text = try? String(contentsOfFile: stats, encoding: .utf8) {
            for line in text.split(separator: "\n") where line.contains("Maximum resident set size (kbytes):") {
                peak = line.split(separator: ":").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }.map { $0 * 1024 }
            }
        }
        return Output(status: output.status, stdout: output.stdout, stderr: output.stderr, peakRSS: peak)
    }
}
