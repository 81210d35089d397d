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
            let rows: [StoredReportRow]
            do {
                rows = try store.reports(
                    ReportFilter(from: bounds.0, to: bounds.1, domain: filters.normalisedDomain, sender: filters.trimmedSender))
            } catch {
                Console.error(error.message)
                throw ExitCode(2)
            }
            var table = TextTable(
                ["ID", "Day", "Sender", "Domains", "Sessions", "Failed", "Report-ID"],
                alignments: [.right, .left, .left, .left, .right, .right, .left])
            table.maxCellWidth = 30
            for row in rows where !conflicts || row.conflict {
                table.add([
                    String(row.id), RFC3339Date.day(row.start), row.organization, row.domains.joined(separator: ","),
                    NumberFormat.grouped(CountSum.add(row.successful, row.failed)), NumberFormat.grouped(row.failed),
                    row.reportID + (row.conflict ? (row.counts ? " (conflict, counts)" : " (conflict, not counted)") : ""),
                ])
            }
            print(table.render(indent: ""))
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
            let found: StoredReportDetail?
            do {
                found = try store.report(id: id)
            } catch {
                Console.error(error.message)
                throw ExitCode(2)
            }
            guard let detail = found else {
                Console.error("no report with ID \(id) (see 'tlsrpt reports')")
                throw ExitCode(1)
            }
            let row = detail.row
            let p = detail.provenance
            var lines = [
                "Report \(row.id)"
                    + (row.conflict
                        ? (row.counts
                            ? " (conflicts with another version of this report; this one counts in summaries)"
                            : " (conflicts with another version of this report, which counts in summaries instead)")
                        : ""),
                "  Organisation:  \(row.organization)",
                "  Report-ID:     \(row.reportID)",
                "  Contact:       \(detail.contactInfo ?? "-")",
                "  Period:        \(RFC3339Date.format(row.start)) to \(RFC3339Date.format(row.end))",
                "  Domains:       \(row.domains.joined(separator: ", "))",
                "  Sessions:      \(NumberFormat.grouped(row.successful)) successful, \(NumberFormat.grouped(row.failed)) failed",
                "  Arrived:       \(p.channel.rawValue) \(p.name) at \(RFC3339Date.format(detail.receivedAt))",
            ]
            if let submitter = p.submitter { lines.append("  Submitter:     \(submitter)") }
            if let domain = p.reportDomain { lines.append("  Report domain: \(domain)") }
            if let id = p.messageID { lines.append("  Message-ID:    \(id)") }
            if let client = p.clientAddress { lines.append("  Client:        \(client) \(p.userAgent ?? "")") }
            for note in detail.notes { lines.append("  Note:          \(note)") }
            print(lines.map(UntrustedText.sanitised).joined(separator: "\n"))
            print("")
            let json = (try? Gzip.decompress(detail.rawGzip, limit: 64 << 20)) ?? []
            if let value = try? JSONParser().parse(json) {
                print(value.serialized(pretty: true))
            } else {
                print(String(decoding: json, as: UTF8.self))
            }
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
            do {
                if let raw {
                    guard let bytes = try store.rejectedInput(id: raw) else {
                        Console.error("rejection \(raw) has no copy in the database (see 'tlsrpt rejects' for where it is)")
                        throw ExitCode(1)
                    }
                    FileHandle.standardOutput.write(Data(bytes))
                    return
                }
                let rows = try store.rejections()
                for row in rows {
                    print("\(row.id)  \(RFC3339Date.format(row.receivedAt))  \(row.channel)  \(UntrustedText.sanitised(row.sourceName))")
                    print("    reason:  \(UntrustedText.sanitised(row.reason))")
                    print("    kept at: \(UntrustedText.sanitised(row.keptAt ?? "-"))\(row.hasRawCopy ? " (tlsrpt rejects --raw \(row.id))" : "")")
                }
                if rows.isEmpty { print("No rejected inputs.") }
            } catch let error as StoreError {
                Console.error(error.message)
                throw ExitCode(2)
            }
        }
    }
}
