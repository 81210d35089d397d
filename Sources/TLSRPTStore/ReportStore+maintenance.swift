package import Foundation
import GRDB

/// What `tlsrpt prune` removed (or, in a dry run, would remove).
package struct PruneResult: Sendable, Equatable {
    package var reports = 0
    package var policies = 0
    package var failures = 0
    package var rejections = 0

    package init(reports: Int = 0, policies: Int = 0, failures: Int = 0, rejections: Int = 0) {
        self.reports = reports
        self.policies = policies
        self.failures = failures
        self.rejections = rejections
    }
}

/// What `tlsrpt backup` wrote.
package struct BackupResult: Sendable, Equatable {
    package var path: String
    package var reports: Int
    package var bytes: Int
}

extension ReportStore {
    /// Deletes the reports whose date range ended before `cutoff`, with their policies and failure details
    /// (the schema cascades), in one transaction.
    ///
    /// Rejections are kept unless `includeRejects`: a rejected input is something a person has yet to look
    /// at, so age alone is no reason to forget it. With `includeRejects`, rejections recorded before the
    /// cutoff go too (their files, in `.Rejected` folders, are never touched).
    ///
    /// The hashes of inputs already seen are kept, so that re-reading a folder whose old files are still
    /// there does not bring the pruned reports back.
    ///
    /// `vacuum` then rewrites the file to give the freed pages back to the filesystem (it needs as much
    /// free space as the database, and blocks writers while it runs).
    package func prune(
        olderThan cutoff: Date, includeRejects: Bool = false, dryRun: Bool = false, vacuum: Bool = false
    ) throws(StoreError) -> PruneResult {
        let limit = Int64(cutoff.timeIntervalSince1970.rounded(.down))
        let result: PruneResult = try write { db in
            var result = PruneResult()
            result.reports = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM report WHERE end_time < ?", arguments: [limit]) ?? 0
            result.policies =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM policy WHERE report IN (SELECT id FROM report WHERE end_time < ?)", arguments: [limit]) ?? 0
            result.failures =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM failure WHERE report IN (SELECT id FROM report WHERE end_time < ?)", arguments: [limit]) ?? 0
            if includeRejects {
                result.rejections =
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM rejection WHERE received_at < ?", arguments: [limit]) ?? 0
            }
            if !dryRun {
                try db.execute(sql: "DELETE FROM report WHERE end_time < ?", arguments: [limit])
                try Rollups.rebuild(db)
                if includeRejects {
                    try db.execute(sql: "DELETE FROM rejection WHERE received_at < ?", arguments: [limit])
                }
            }
            return result
        }
        if vacuum && !dryRun {
            do {
                try pool.vacuum()
            } catch {
                throw Self.map(error, path: path, doing: "vacuum")
            }
        }
        return result
    }

    /// Copies the database to `destination` with SQLite's online backup API, from one read snapshot: a
    /// watch or an ingest may keep writing meanwhile, and the copy is consistent.
    ///
    /// The copy is written next to `destination` and renamed into place when complete and checked, so a
    /// failed backup never leaves a half file under the name a restore would use. The copy is a single
    /// self-contained file (rollback journal, no `-wal` beside it). An existing `destination` is replaced
    /// only with `overwrite`.
    package func backup(to destination: String, overwrite: Bool = false) throws(StoreError) -> BackupResult {
        if !overwrite && FileManager.default.fileExists(atPath: destination) {
            throw StoreError(.cannotWrite, "\(destination) exists; choose another name, or pass --overwrite to replace it")
        }
        let partial = destination + ".partial"
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: partial + suffix) }
        // The copy holds what the database holds: created 0600 like it.
        try PrivateDatabaseFile.create(partial)
        do {
            do {
                let copy = try DatabaseQueue(path: partial)
                try pool.backup(to: copy)
                try copy.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA journal_mode = DELETE")
                    let check = try String.fetchOne(db, sql: "PRAGMA quick_check") ?? "no answer"
                    guard check == "ok" else {
                        throw StoreError(.cannotWrite, "the copy at \(partial) failed SQLite's quick_check: \(check)")
                    }
                }
                try copy.close()
            }
            guard rename(partial, destination) == 0 else {
                throw StoreError(.cannotWrite, "cannot rename \(partial) to \(destination): \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw Self.map(error, path: destination, doing: "write the backup")
        }
        let check = try ReportStore.count(reportsIn: destination)
        return BackupResult(path: destination, reports: check.reports, bytes: check.bytes)
    }

    /// Reports in the database file at `path`, opened read-only, and the file's size.
    static func count(reportsIn path: String) throws(StoreError) -> (reports: Int, bytes: Int) {
        do {
            var configuration = Configuration()
            configuration.readonly = true
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            let reports = try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM report") ?? 0 }
            try queue.close()
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            return (reports, size)
        } catch {
            throw map(error, path: path, doing: "read the backup")
        }
    }
}
