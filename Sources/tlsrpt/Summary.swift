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

                For providers: --per-domain DIR writes one digest per policy domain instead, DIR/<domain>.txt \
                (.md, .json, .csv or .html with --format), each the summary of that domain alone, as --domain \
                gives it: a shared host's fault is in the digest of every domain it touches, and no digest \
                names another customer's domain. With --quiet-if-clean only domains with failures get a file; \
                --fail-above then exits 3 when any domain is above PCT. DIR is created when missing; files of \
                earlier runs are overwritten, never removed (Scripts/tlsrpt-mail-per-domain mails each digest \
                to the address a mapping file gives for its domain).

                Examples:
                  tlsrpt summary                          # the last 7 whole UTC days and today so far, as text
                  tlsrpt summary --all --format json
                  tlsrpt summary --from 2026-11-01 --to 2026-12-01 --domain example.com
                  tlsrpt summary --format html > summary.html
                  tlsrpt summary --since 7d --per-domain /var/tmp/digests --quiet-if-clean
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var filters: PeriodOptions

        @Option(help: "Output format: text, markdown, json, csv or html.")
        var format: SummaryFormat = .text

        @Option(help: ArgumentHelp("Show at most N problems and N rows per table in text, markdown and html (0: all).", valueName: "n"))
        var top = 10

        @Flag(help: "Print nothing when no session failed in the period (with --per-domain: no file for a clean domain).")
        var quietIfClean = false

        @Option(help: ArgumentHelp("Write one digest per policy domain into this folder, named <domain>.<format>.", valueName: "dir"))
        var perDomain: String?

        @Option(help: ArgumentHelp("Exit 3 when more than this percentage of sessions failed.", valueName: "pct"))
        var failAbove: Double?

        func validate() throws {
            guard top >= 0 else { throw ValidationError("--top must be 0 (all) or a positive number, not \(top).") }
        }

        func run() async throws {
            let store = try database.open()
            if let perDomain {
                return try writeDigests(store: store, into: perDomain)
            }
            var report = try Console.orExit {
                try PeriodReportBuilder.build(
                    store: store, period: filters.period, domain: filters.normalisedDomain, sender: filters.trimmedSender,
                    daily: format.drawsDailySeries)
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

        /// `--per-domain DIR`: one file per policy domain, each written whole or not at all.
        func writeDigests(store: any ReportStorage, into folder: String) throws {
            let digests = try Console.orExit {
                try DomainDigests.build(
                    store: store, period: filters.period, domain: filters.normalisedDomain, sender: filters.trimmedSender,
                    daily: format.drawsDailySeries)
            }
            try Console.orExit {
                try DigestFolder(path: folder).write(digests, format: format, display: DisplayLimit(top: top), quietIfClean: quietIfClean)
            }
            if let failAbove, digests.contains(where: { $0.report.summary.failureRate * 100 > failAbove }) {
                throw ExitCode(3)
            }
        }
    }
}

extension SummaryFormat: ExpressibleByArgument {}
