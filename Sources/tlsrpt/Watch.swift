public import ArgumentParser
import Dispatch
import Foundation
public import Logging
import TLSRPTAlert
import TLSRPTCore
import TLSRPTIngest

extension TLSRPT {
    struct Watch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ingest what is in maildirs and folders, then whatever arrives in them, until stopped.",
            discussion: """
                Each PATH is a maildir (a folder with cur/ new/ tmp/) or a plain folder (watched with every \
                folder below it). What is there is ingested first, as 'tlsrpt ingest' would; then inotify \
                announces arrivals, which are ingested in batches within a second.

                Maildirs: a message counts as delivered when it appears in new/ (renamed or hard-linked from \
                tmp/, as MDAs and mbsync do) or in cur/. Plain folders: a file is read when its writer closes \
                it or when it is renamed in, never while it is being written; write elsewhere and 'mv' in, \
                or write in place and close.

                Signals: SIGTERM and SIGINT finish the batch in hand and exit 0; SIGHUP reads every folder \
                again. Logs go to stderr, one line per batch (for the journal).

                Exit status: 0 stopped by a signal; 2 usage error, a folder that cannot be watched, or a \
                database error (inputs not yet stored stay where they are; the next start reads them).
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup(title: "Alerts") var alerting: AlertOptions

        @Option(help: ArgumentHelp("How long the first arrival waits for others before a batch is stored.", valueName: "ms"))
        var batchWindow = 100

        @Option(help: ArgumentHelp("Inputs per batch at most (one transaction each).", valueName: "n"))
        var batchLimit = 512

        @Option(help: ArgumentHelp("Log level: trace, debug, info, notice, warning, error, critical.", valueName: "level"))
        var logLevel: Logger.Level = .info

        @Argument(help: ArgumentHelp("Maildirs or folders to watch.", valueName: "path"))
        var paths: [String]

        func validate() throws {
            if paths.isEmpty { throw ValidationError("name at least one maildir or folder to watch") }
            if batchWindow < 0 || batchWindow > 10_000 { throw ValidationError("--batch-window must be between 0 and 10000 ms") }
            if batchLimit < 1 { throw ValidationError("--batch-limit must be at least 1") }
        }

        func run() async throws {
            #if os(Linux)
                try await watch()
            #else
                Console.error("tlsrpt watch needs Linux (inotify); use 'tlsrpt ingest' from cron elsewhere")
                throw ExitCode(2)
            #endif
        }

        #if os(Linux)
            func watch() async throws {
                let level = logLevel
                LoggingSystem.bootstrap { label in
                    var handler = StreamLogHandler.standardError(label: label)
                    handler.logLevel = level
                    return handler
                }
                let logger = Logger(label: "tlsrpt.watch")
                let store = try database.open()
                let monitor = try alerting.monitor(store: store, logger: Logger(label: "tlsrpt.alert"))
                let session = try Console.orExit {
                    try WatchSession(
                        roots: paths, ingester: Ingester(store: store, afterCommit: monitor?.observer),
                        configuration: .init(batchWindow: .milliseconds(batchWindow), batchLimit: batchLimit), logger: logger)
                }
                let signals = SignalHandlers(session: session, logger: logger)
                defer { signals.cancel() }
                // The loop blocks in poll(2): give it a thread of its own, not one of the few the async runtime has.
                let outcome: Result<IngestTally, WatchError> = await withCheckedContinuation { continuation in
                    let thread = Thread {
                        continuation.resume(returning: Result { () throws(WatchError) in try session.run() })
                    }
                    thread.name = "tlsrpt-watch"
                    thread.start()
                }
                // Deliveries under way may end before the exit, within systemd's stop timeout.
                await monitor?.finish(within: 10)
                if case .failure(let error) = outcome {
                    logger.critical("\(UntrustedText.sanitised(error.message, limit: 500))")
                    throw ExitCode(2)
                }
            }
        #endif
    }
}

#if os(Linux)
    /// SIGTERM and SIGINT stop the watch, SIGHUP rescans. The signals are ignored at the process level and
    /// delivered to Dispatch sources instead, so a handler runs ordinary code rather than async-signal-safe code.
    final class SignalHandlers {
        private let sources: [any DispatchSourceSignal]

        init(session: WatchSession, logger: Logger) {
            var sources: [any DispatchSourceSignal] = []
            for (number, name) in [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT"), (SIGHUP, "SIGHUP")] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler {
                    if number == SIGHUP {
                        session.rescan(reason: "\(name) received")
                    } else {
                        logger.notice("\(name) received; finishing the batch in hand")
                        session.stop()
                    }
                }
                source.resume()
                sources.append(source)
            }
            self.sources = sources
        }

        func cancel() {
            for source in sources { source.cancel() }
        }
    }

#endif

extension Logger.Level: @retroactive ExpressibleByArgument {}
