import ArgumentParser
import TLSRPTAnalysis
import TLSRPTStore

extension TLSRPT {
    struct Alerts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the alerts raised so far: what, when, on which channel, delivered or not.",
            discussion: """
                'ingest', 'watch' and 'serve' raise an alert, seconds after the commit, when a report shows a problem \
                that had no failures in the --alert-window-days before (14), or a known problem whose failure rate \
                jumps from under 1% to over 20% of its domains' sessions; once per problem until it has been quiet \
                for the window. Channels: --alert-command, --alert-webhook, --alert-mail (see 'tlsrpt ingest --help').

                Newest first. A delivery still 'pending' was under way when its process stopped.
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case text, json
        }

        @OptionGroup var database: DatabaseOptions

        @Option(help: "Output format: text or json.")
        var format: Format = .text

        @Option(help: ArgumentHelp("Show at most this many alerts (0: all).", valueName: "n"))
        var limit: Int = 50

        func validate() throws {
            if limit < 0 { throw ValidationError("--limit must be 0 or more") }
        }

        func run() async throws {
            let store = try database.open()
            let alerts = try Console.orExit { try store.alerts(limit: limit == 0 ? nil : limit) }
            switch format {
            case .text: print(AlertListRenderer.text(alerts), terminator: "")
            case .json: print(AlertListRenderer.json(alerts), terminator: "")
            }
        }
    }
}
