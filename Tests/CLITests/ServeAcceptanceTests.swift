import Foundation
import TLSRPTTestSupport
import Testing

/// Issue 4's acceptance run (Scripts/serve-acceptance): the real server over TLS on loopback, real curl
/// clients 8 at a time, every refusal of the contract, SIGTERM, and the stored numbers against the
/// independent Python computation.
struct ServeAcceptanceTests {
    @Test func hundredsOfReportsPostedByCurlAgreeWithTheIndependentComputation() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [
            Fixtures.repositoryRoot.appendingPathComponent("Scripts/serve-acceptance").path, TLSRPTProcess.executable.path, "200",
        ]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(output)")
        #expect(output.contains("serve acceptance: passed (200 reports)"))
    }
}
