import ArgumentParser
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
            do {
                let problems = try store.check()
                let counts = try store.counts()
                for problem in problems { Console.warn("problem: \(problem)") }
                print(
                    "\(problems.isEmpty ? "ok" : "\(problems.count) problem(s)"): \(counts.reports) reports, \(counts.policies) policies, "
                        + "\(counts.failures) failure details, \(counts.rejections) rejections")
                if !problems.isEmpty { throw ExitCode(1) }
            } catch let error as StoreError {
                Console.error(error.message)
                throw ExitCode(2)
            }
        }
    }
}
