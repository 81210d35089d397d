import ArgumentParser
import Foundation
import TLSRPTPostgres
import TLSRPTStore

extension TLSRPT {
    struct Backup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy the database to a file, safely, while it is in use.",
            discussion: """
                Uses SQLite's online backup API: the copy is one consistent snapshot even while 'tlsrpt watch', \
                'ingest' or 'serve' keep writing, and it is a single self-contained file (no -wal beside it). \
                It is written as DEST.partial, checked, and renamed to DEST, so DEST is complete or absent.

                Restore by stopping the writers and copying DEST over the database (removing its -wal and -shm).

                Examples:
                  tlsrpt backup /var/backups/tlsrpt/tlsrpt-$(date +%F).sqlite
                  tlsrpt backup --overwrite /var/backups/tlsrpt/latest.sqlite
                """)

        @OptionGroup var database: DatabaseOptions

        @Flag(help: "Replace DEST when it exists.")
        var overwrite = false

        @Argument(help: ArgumentHelp("The file to write.", valueName: "dest"))
        var destination: String

        func run() async throws {
            let store: ReportStore
            switch try database.location() {
            case .postgres(let url):
                Console.error(
                    "\(url.redacted) is a PostgreSQL database: back it up with pg_dump (pg_dump -Fc -f tlsrpt.dump 'DBNAME'), "
                        + "or copy it into an SQLite file with 'tlsrpt copy --from URL --to FILE'")
                throw ExitCode(2)
            case .sqlite(let path):
                store = try Console.orExit { try ReportStore(path: path, busyTimeout: database.busyTimeout) }
            }
            let result = try Console.orExit { try store.backup(to: destination, overwrite: overwrite) }
            print("backed up \(result.reports) report(s) to \(result.path) (\(result.bytes) bytes)")
        }
    }
}
