import ArgumentParser
import Foundation

/// The `tlsrpt` command: collects SMTP TLS reports (RFC 8460) into SQLite and explains them.
@main
struct TLSRPT: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tlsrpt",
        abstract: "Collect and analyse SMTP TLS reports (TLS-RPT, RFC 8460).",
        discussion: """
            Reports arrive as .json / .json.gz files, as report mail (.eml, maildirs), or by HTTPS POST. \
            tlsrpt stores them once each in an SQLite database and summarises who fails to deliver to your MX \
            hosts over TLS, and why.

            The database is --db PATH, else $TLSRPT_DB, else $XDG_DATA_HOME/tlsrpt/tlsrpt.sqlite \
            (~/.local/share/tlsrpt/tlsrpt.sqlite); it is created on first use.

            Typical use:
              tlsrpt ingest ~/Maildir/.TLS-Reports      # store what arrived
              tlsrpt summary --since 7d                  # the weekly summary (cron)
            """,
        subcommands: [
            Ingest.self, Watch.self, Serve.self, Summary.self, Failures.self, Explain.self, Reports.self, Show.self,
            Rejects.self, Alerts.self, Check.self, Backup.self, Copy.self, Prune.self, Probe.self,
        ]
    )

    /// Like ArgumentParser's own entry point, except that usage errors exit 2 (docs/ARCHITECTURE.md's contract;
    /// ArgumentParser would use 64), so scripts can tell "you called it wrong" from "something was rejected".
    static func main() async {
        // Past a file-size limit (`ulimit -f`) the kernel sends SIGXFSZ, whose default action kills the process
        // mid-write. Ignored, the write fails with EFBIG instead, and SQLite rolls the batch back and reports it.
        signal(SIGXFSZ, SIG_IGN)
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
