import ArgumentParser
import Foundation
import TLSRPTAnalysis
import TLSRPTCore
import TLSRPTStore

extension TLSRPT {
    struct Failures: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the failure details behind a summary, one row each.",
            discussion: """
                The drill-down of `tlsrpt summary`: the same period and filters, plus --result-type and --mx. \
                Rows are newest report first.

                Examples:
                  tlsrpt failures --since 7d --result-type certificate-host-mismatch
                  tlsrpt failures --all --mx mail.hoster-cdn.net --format csv > failures.csv
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var filters: PeriodOptions

        @Option(help: ArgumentHelp("Only this result type (e.g. certificate-expired).", valueName: "type"))
        var resultType: String?

        @Option(help: ArgumentHelp("Only failures on this receiving MX host.", valueName: "host"))
        var mx: String?

        @Option(help: "Output format: text, json or csv.")
        var format: FailureRowsRenderer.Format = .text

        @Option(help: ArgumentHelp("At most this many rows.", valueName: "n"))
        var limit: Int?

        func validate() throws {
            if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        }

        func run() async throws {
            let store = try database.open()
            let bounds = filters.period.bounds(now: Date())
            let filter = FailureRowFilter(
                report: ReportFilter(from: bounds.from, to: bounds.to, domain: filters.normalisedDomain, sender: filters.trimmedSender),
                resultType: resultType.map { ResultType(canonicalising: $0).name }, mxHost: mx.map(HostName.normalise), limit: limit)
            let rows = try Console.orExit { try store.failureRows(filter) }
            print(FailureRowsRenderer.render(rows, format: format), terminator: "")
        }
    }
}

extension FailureRowsRenderer.Format: ExpressibleByArgument {}
