import ArgumentParser
import Foundation
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
            let store = try database.open()
            let result = try Console.orExit { try store.backup(to: destination, overwrite: overwrite) }
            print("backed up \(result.reports) report(s) to \(result.path) (\(result.bytes) bytes)")
        }
    }
}
