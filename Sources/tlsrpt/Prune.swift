import ArgumentParser
import Foundation
import TLSRPTStore

extension TLSRPT {
    struct Prune: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete reports whose period ended more than DAYS days ago.",
            discussion: """
                A report goes when the end of its date range is older than the cutoff; its policies and \
                failure details go with it. Rejected inputs are kept (someone has yet to look at them) unless \
                --include-rejects, which deletes the rejections recorded before the cutoff; files in .Rejected \
                folders are never touched. --vacuum then gives the freed space back to the filesystem.

                Examples:
                  tlsrpt prune --older-than 400 --dry-run
                  tlsrpt prune --older-than 400 --vacuum
                """)

        @OptionGroup var database: DatabaseOptions

        @Option(help: ArgumentHelp("Keep reports whose period ended within this many days.", valueName: "days"))
        var olderThan: Int

        @Flag(help: "Also delete rejections recorded before the cutoff.")
        var includeRejects = false

        @Flag(help: "Rewrite the database afterwards to return the freed space (needs as much free disk as the database).")
        var vacuum = false

        @Flag(help: "Only print what would be deleted.")
        var dryRun = false

        func validate() throws {
            if olderThan < 1 { throw ValidationError("--older-than must be at least 1 day") }
        }

        func run() async throws {
            let store = try database.open()
            let cutoff = Date().addingTimeInterval(-Double(olderThan) * 86_400)
            let result = try Console.orExit {
                try store.prune(olderThan: cutoff, includeRejects: includeRejects, dryRun: dryRun, vacuum: vacuum)
            }
            let verb = dryRun ? "would delete" : "deleted"
            var line = "\(verb) \(result.reports) report(s) (\(result.policies) policies, \(result.failures) failure details)"
            if includeRejects { line += " and \(result.rejections) rejection(s)" }
            print(line + " ending before \(ISO8601DateFormatter().string(from: cutoff))")
        }
    }
}
