public import Foundation
public import Testing

/// Programs some tests run beside the Swift code: python3 (the independent expected-summary oracle, the
/// corpus generator, a raw TLS client, a lock holder). The README's install line and `.ci/run` install
/// it; a machine without it skips those tests and says why, instead of failing them obscurely.
public enum ExternalTools {
    /// Whether `python3` runs here with the standard library the tests use.
    public static let hasPython3: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sqlite3, ssl, gzip, json"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    public static let python3Absent: Comment = "needs python3 (apt-get install python3), which is not installed here"
}
