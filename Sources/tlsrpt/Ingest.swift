import ArgumentParser
import Foundation
import Logging
import TLSRPTAlert
import TLSRPTAnalysis
import TLSRPTCore
import TLSRPTIngest
import TLSRPTStore

extension TLSRPT {
    struct Ingest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Store reports from files, folders, maildirs or standard input.",
            discussion: """
                Each PATH is a report file (.json, .json.gz or .gz, recognised by content, not by name), a report \
                mail (.eml or any RFC 5322 message), a folder (read recursively; dot files and *.md notes are \
                skipped), or a maildir (a folder with \
                cur/ new/ tmp/). A report already stored is counted as a duplicate and stored once.

                Maildirs: messages in new/ move to cur/ with the Seen flag once their report is committed; \
                rejected messages move to the maildir's .Rejected folder. Plain folders are left as they are.

                '-' reads one message or report from standard input, for /etc/aliases pipes: it exits 0 when the \
                input was stored, a duplicate, or rejected and kept in the database, and 75 (EX_TEMPFAIL) when \
                the database cannot be written, so the MTA retries.

                Exit status: 0 nothing rejected; 1 something rejected (the rest stored; reasons on stderr and \
                in 'tlsrpt rejects'); 2 usage or database error.
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup(title: "Alerts") var alerting: AlertOptions

        @Flag(help: "Print the tally as JSON: {\"ingested\":N,\"duplicates\":M,\"rejected\":K}.")
        var json = false

        @Argument(help: ArgumentHelp("Files, folders or maildirs; '-' for standard input.", valueName: "path"))
        var paths: [String]

        func validate() throws {
            if paths.isEmpty { throw ValidationError("name at least one file, folder or maildir (or '-' for standard input)") }
            if paths.contains("-") && paths.count > 1 { throw ValidationError("'-' (standard input) cannot be combined with paths") }
        }

        func run() async throws {
            let fromStandardInput = paths == ["-"]
            // An MTA must retry rather than bounce when we cannot store: EX_TEMPFAIL.
            let store = try database.open(exitCode: fromStandardInput ? 75 : 2)
            // Alerts log to stderr: stdout is the tally's.
            LoggingSystem.bootstrap(StreamLogHandler.standardError)
            let monitor = try alerting.monitor(store: store, logger: Logger(label: "tlsrpt.alert"))
            let ingester = Ingester(store: store, afterCommit: monitor?.observer)
            let onRejection: @Sendable (String, String) -> Void = { input, reason in
                Console.warn("\(UntrustedText.sanitised(input)): \(UntrustedText.sanitised(reason))")
            }
            let tally = try Console.orExit(fromStandardInput ? 75 : 2) {
                fromStandardInput
                    ? try ingester.ingestStandardInput(onRejection: onRejection) : try ingester.ingest(paths: paths, onRejection: onRejection)
            }
            if json {
                print(
                    "{\"ingested\":\(tally.ingested),\"duplicates\":\(tally.duplicates),\"rejected\":\(tally.rejected),"
                        + "\"rejected_before\":\(tally.rejectedBefore)}")
            } else {
                print(tally.line)
            }
            if tally.conflicts > 0 {
                Console.warn(
                    "note: \(tally.conflicts) report(s) share organisation, report-id and date range with a different stored report; all kept, one counts (see 'tlsrpt reports --conflicts')"
                )
            }
            if let note = tally.rejectedBeforeNote { Console.warn(note) }
            // Everything is stored and told; the alerts' deliveries are bounded (--alert-timeout, --alert-attempts).
            await monitor?.finish()
            if tally.rejected > 0 && !fromStandardInput { throw ExitCode(1) }
        }
    }
}
