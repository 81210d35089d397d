import ArgumentParser
import Foundation
import TLSRPTAnalysis

extension TLSRPT {
    struct Summary: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Summarise a period: sessions, failures, and who fails where.",
            discussion: """
                A report counts in the period when its date-range start lies in [from, to). Sessions are the \
                policies' summary totals, each report's sessions for one policy domain counted once; result \
                types add up the failure details.

                For cron: --quiet-if-clean prints nothing when nothing failed (so cron sends no mail), and \
                --fail-above PCT exits 3 when the failure rate is above PCT percent.

                Examples:
                  tlsrpt summary                          # the last 7 days, as text
                  tlsrpt summary --all --format json
                  tlsrpt summary --from 2026-11-01 --to 2026-12-01 --domain example.com
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case text, json
        }

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var filters: PeriodOptions

        @Option(help: "Output format: text or json.")
        var format: Format = .text

        @Flag(help: "Print nothing when no session failed in the period.")
        var quietIfClean = false

        @Option(help: ArgumentHelp("Exit 3 when more than this percentage of sessions failed.", valueName: "pct"))
        var failAbove: Double?

        func run() async throws {
            let store = try database.open()
            let summary: TLSRPTAnalysis.Summary
            do {
                summary = try SummaryBuilder.build(
                    store: store, period: filters.period, domain: filters.normalisedDomain, sender: filters.trimmedSender)
            } catch {
                Console.error(error.message)
                throw ExitCode(2)
            }
            if !(quietIfClean && summary.isClean) {
                switch format {
                case .text: print(SummaryTextRenderer.render(summary), terminator: "")
                case .json: print(SummaryJSONRenderer.render(summary), terminator: "")
                }
            }
            if let failAbove, summary.failureRate * 100 > failAbove {
                throw ExitCode(3)
            }
        }
    }
}
