import ArgumentParser
import Foundation
import TLSRPTAnalysis
import TLSRPTStore

extension TLSRPT {
    struct Summary: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Summarise a period: sessions, failures, and who fails where.",
            discussion: """
                A report counts in the period when its date-range start lies in [from, to). Senders report per \
                UTC day (00:00:00Z to 23:59:59Z), so --since in days or weeks counts whole UTC days: --since 7d \
                (the default) is the 7 whole days before today plus what has arrived of today, and a cron run on \
                Monday 07:00 holds the previous Monday's report; the header names the days it holds, and the \
                trend compares the 7 whole days before. --since 36h (or m, s) counts exact time up to now. \
                --from/--to are taken in whole seconds (a fraction is dropped, as it is from stored report starts). \
                Senders whose names differ only in letter case are one sender, as --sender matches them.

                Sessions are the \
                policies' summary totals, each report's sessions for one policy domain counted once; result \
                types add up the failure details.

                The text format starts with a one-line verdict, then "What to fix": each problem the \
                reports point at, with where, since when, who reports it, the likely cause and the change to make; \
                then the tables and the trend against the previous period.

                Whatever the reports hold, the text, markdown and HTML formats stay short: they show the \
                --top N most important problems (default 10) and the N rows of each table with the most \
                failed sessions, then say how many more there are; --top 0 shows everything. JSON and CSV \
                always hold everything.

                For cron: --quiet-if-clean prints nothing when nothing failed (so cron sends no mail), and \
                --fail-above PCT exits 3 when the failure rate is above PCT percent.

                Examples:
                  tlsrpt summary                          # the last 7 whole UTC days and today so far, as text
                  tlsrpt summary --all --format json
                  tlsrpt summary --from 2026-11-01 --to 2026-12-01 --domain example.com
                  tlsrpt summary --format html > summary.html
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var filters: PeriodOptions

        @Option(help: "Output format: text, markdown, json, csv or html.")
        var format: SummaryFormat = .text

        @Option(help: ArgumentHelp("Show at most N problems and N rows per table in text, markdown and html (0: all).", valueName: "n"))
        var top = 10

        @Flag(help: "Print nothing when no session failed in the period.")
        var quietIfClean = false

        @Option(help: ArgumentHelp("Exit 3 when more than this percentage of sessions failed.", valueName: "pct"))
        var failAbove: Double?

        func validate() throws {
            guard top >= 0 else { throw ValidationError("--top must be 0 (all) or a positive number, not \(top).") }
        }

        func run() async throws {
            let store = try database.open()
            var report = try Console.orExit {
                try PeriodReportBuilder.build(store: store, period: filters.period, domain: filters.normalisedDomain, sender: filters.trimmedSender)
            }
            report.display = DisplayLimit(top: top)
            let summary = report.summary
            if !(quietIfClean && summary.isClean) {
                print(format.render(report), terminator: "")
            }
            if let failAbove, summary.failureRate * 100 > failAbove {
                throw ExitCode(3)
            }
        }
    }
}

extension SummaryFormat: ExpressibleByArgument {}
