import ArgumentParser
import TLSRPTAnalysis
import TLSRPTStore

extension TLSRPT {
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the database: SQLite's integrity check and tlsrpt's own invariants.",
            discussion: """
                Exits 0 when all is well, 1 when a problem was found (each printed on stderr), 2 when the \
                database cannot be opened. Run it after a crash, a full disk, or a restore from backup.
                """)

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let store = try database.open()
            let (problems, counts) = try Console.orExit { (try store.check(), try store.counts()) }
            for problem in problems { Console.warn("problem: \(problem)") }
            print(
                StoredReportRenderer.check(
                    problems: problems, reports: counts.reports, policies: counts.policies, failures: counts.failures,
                    rejections: counts.rejections))
            if !problems.isEmpty { throw ExitCode(1) }
        }
    }
}
