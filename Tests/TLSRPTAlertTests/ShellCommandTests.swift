import Foundation
import TLSRPTTestSupport
import Testing

@testable import TLSRPTAlert

/// The command and sendmail channels' runner: input, environment, exit status, and a bounded wait.
struct ShellCommandTests {
    let dir = TemporaryDirectory()

    @Test func inputAndEnvironmentReachTheCommand() async throws {
        let out = dir.file("out")
        let command = ShellCommand(line: "cat > '\(out)'; printf '%s' \"$GREETING\" > '\(out).env'", environment: ["GREETING": "hello there"])
        let ending = try await command.run(input: Array("the alert\n".utf8), timeout: 10)
        #expect(ending == .exited(0))
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "the alert\n")
        #expect(try String(contentsOfFile: out + ".env", encoding: .utf8) == "hello there")
    }

    @Test func aFailingCommandSaysItsStatus() async throws {
        #expect(try await ShellCommand(line: "exit 3", environment: [:]).run(input: [], timeout: 10) == .exited(3))
        #expect(throws: AlertDeliveryError(.commandFailed, "")) {
            try ShellCommand.check(.exited(3), what: "x", timeout: 1)
        }
    }

    @Test func aCommandThatDoesNotReadItsInputIsNoProblem() async throws {
        // 1 MiB does not fit a pipe: the writer must not block, nor SIGPIPE end the test process.
        let ending = try await ShellCommand(line: "exit 0", environment: [:]).run(input: [UInt8](repeating: 65, count: 1 << 20), timeout: 10)
        #expect(ending == .exited(0))
    }

    /// What "within the timeout" costs in wall-clock time is measured end to end, in separate processes
    /// (AlertProcessTests: storing stays at 0.1 s while channels hang): in the full parallel test run an async
    /// test like this one can wait minutes for a cooperative-pool thread that synchronous tests hold, so a
    /// clock here measures the test run, not the code. What this test proves: the command is killed with the
    /// child it started (which would otherwise run for ten minutes), and the run ends as timed out.
    @Test func aHangingCommandIsKilledWithItsChildrenAtTheTimeout() async throws {
        let marker = dir.file("pid")
        let ending = try await ShellCommand(line: "sleep 600 & echo $! > '\(marker)'; wait", environment: [:]).run(input: [], timeout: 0.5)
        #expect(ending == .timedOut)
        let child = try #require(Int32(try String(contentsOfFile: marker, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        usleep(200_000)
        // Gone, or a zombie waiting for whoever adopted it to reap it: either way no longer running.
        let state = (try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8))?.split(separator: " ").dropFirst(2).first
        #expect(state == nil || state == "Z", "the background child \(child) still runs")
    }
}
