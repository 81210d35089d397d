package import TLSRPTAnalysis

/// `--alert-command CMD`: runs CMD through `/bin/sh -c` with the alert as JSON on standard input and
/// `TLSRPT_ALERT_*` variables (see `AlertRenderer.environment`). Exit status 0 is delivered.
package struct CommandChannel: AlertChannel {
    package let command: String

    package init(command: String) {
        self.command = command
    }

    package var name: String { "command" }
    package var target: String { command }

    package func deliver(_ alert: Alert, json: String, timeout: Double) async throws(AlertDeliveryError) {
        let shell = ShellCommand(line: command, environment: AlertRenderer.environment(alert))
        try ShellCommand.check(try await shell.run(input: Array((json + "\n").utf8), timeout: timeout), what: "the alert command", timeout: timeout)
    }
}

extension ShellCommand {
    /// Throws unless the command exited 0.
    static func check(_ ending: Ending, what: String, timeout: Double) throws(AlertDeliveryError) {
        switch ending {
        case .exited(0): return
        case .exited(let status): throw AlertDeliveryError(.commandFailed, "\(what) exited with status \(status)")
        case .killedBySignal(let signal): throw AlertDeliveryError(.commandFailed, "\(what) was killed by signal \(signal)")
        case .timedOut: throw AlertDeliveryError(.timedOut, "\(what) did not finish within \(Self.seconds(timeout)); killed")
        }
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}
