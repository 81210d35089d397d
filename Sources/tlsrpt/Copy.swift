import ArgumentParser
import Foundation
import TLSRPTIngest
import TLSRPTStore

extension TLSRPT {
    struct Copy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy every report, rejection and raw copy from one database to another.",
            discussion: """
                Moves an installation between SQLite and PostgreSQL (either way), or merges one database into \
                another. Each report is stored again from its raw JSON with its provenance and time of arrival, \
                so the destination's identity, conflict and counting rules decide as they would have; rejections \
                keep their raw copies; the hashes of inputs already seen go too, so that the collectors do not \
                ingest their folders again after the move. The source is only read.

                Running it again copies nothing new. Stop the collectors (or point them at the destination) \
                before the last run, so that nothing arrives in the source after it.

                Examples:
                  tlsrpt copy --from ~/.local/share/tlsrpt/tlsrpt.sqlite --to postgresql://tlsrpt@db.example.net/tlsrpt
                  tlsrpt copy --from postgresql://tlsrpt@db.example.net/tlsrpt --to /var/backups/tlsrpt.sqlite

                Exit status: 0 when everything was copied, 1 when some stored report no longer decodes (named, \
                and left in the source), 2 on an error.
                """)

        @Option(help: ArgumentHelp("The database to copy from: an SQLite file or a postgresql:// URL.", valueName: "path|url"))
        var from: String

        @Option(help: ArgumentHelp("The database to copy into (created when new).", valueName: "path|url"))
        var to: String

        @Flag(name: .shortAndLong, help: "Print nothing but errors.")
        var quiet = false

        func validate() throws {
            if from == to { throw ValidationError("--from and --to name the same database") }
        }

        func run() async throws {
            let source = try DatabaseOptions.parse(["--db", from]).open()
            let destination = try DatabaseOptions.parse(["--db", to]).open()
            if source.location == destination.location {
                Console.error("--from and --to are the same database (\(source.location))")
                throw ExitCode(2)
            }
            let tally = try Console.orExit { try StoreCopy().run(from: source, to: destination) }
            for (id, reason) in tally.undecodable {
                Console.error("report \(id) of \(source.location) was not copied: \(reason)")
            }
            if !quiet {
                print(
                    "copied \(tally.reports) report(s) (\(tally.duplicates) already there), \(tally.rejections) rejection(s), "
                        + "\(tally.seenInputs) seen-input hash(es) from \(source.location) to \(destination.location)")
            }
            if !tally.undecodable.isEmpty { throw ExitCode(1) }
        }
    }
}
