import ArgumentParser
import Foundation
import TLSRPTAnalysis
import TLSRPTCore
import TLSRPTExtract
import TLSRPTStore

extension TLSRPT {
    struct Reports: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List stored reports.",
            discussion: "Without a period option, lists every stored report. 'tlsrpt show ID' shows one in full.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var filters: PeriodOptions

        @Flag(
            help: """
                Only reports whose organisation, report-id and date range clash with a different stored report; \
                of each such set one version counts in summaries (most sessions, then most failures), marked 'counts'.
                """)
        var conflicts = false

        func run() async throws {
            let store = try database.open()
            let explicitPeriod = filters.since != nil || filters.from != nil || filters.all
            let bounds = explicitPeriod ? filters.period.bounds(now: Date()) : (nil, nil)
            let rows = try Console.orExit {
                try store.reports(ReportFilter(from: bounds.0, to: bounds.1, domain: filters.normalisedDomain, sender: filters.trimmedSender))
            }
            print(StoredReportRenderer.list(rows, conflictsOnly: conflicts))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one stored report: where it came from, what was noted, and its raw JSON.")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The report's ID, as 'tlsrpt reports' lists it.")
        var id: Int64

        func run() async throws {
            let store = try database.open()
            guard let detail = try Console.orExit(2, { try store.report(id: id) }) else {
                Console.error("no report with ID \(id) (see 'tlsrpt reports')")
                throw ExitCode(1)
            }
            let json = (try? Gzip.decompress(detail.rawGzip, limit: 64 << 20)) ?? []
            print(StoredReportRenderer.detail(detail, json: json))
        }
    }

    struct Rejects: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List rejected inputs, why each was rejected, and where it is kept.",
            discussion: """
                Nothing is deleted: a rejected file stays where it was, a rejected maildir message is in the \
                maildir's .Rejected folder, and input from standard input or HTTPS is kept in the database \
                ('tlsrpt rejects --raw ID' prints it).
                """)

        @OptionGroup var database: DatabaseOptions

        @Option(help: ArgumentHelp("Print the kept bytes of rejection ID to standard output.", valueName: "id"))
        var raw: Int64?

        func run() async throws {
            let store = try database.open()
            if let raw {
                guard let bytes = try Console.orExit(2, { try store.rejectedInput(id: raw) }) else {
                    Console.error("rejection \(raw) has no copy in the database (see 'tlsrpt rejects' for where it is)")
                    throw ExitCode(1)
                }
                FileHandle.standardOutput.write(Data(bytes))
                return
            }
            print(StoredReportRenderer.rejections(try Console.orExit { try store.rejections() }))
        }
    }
}
