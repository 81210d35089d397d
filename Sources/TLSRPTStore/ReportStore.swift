package import Foundation
import GRDB

/// The SQLite database of reports, policies, failure details and rejections.
///
/// WAL mode lets summaries read while an ingest writes; `synchronous=NORMAL` under WAL keeps every commit
/// atomic and loses at most the last transactions on power loss (never on a process crash or kill -9),
/// which is what an ingest that commits before it moves a message needs. Writers wait for each other
/// (busy timeout) instead of failing.
package final class ReportStore: Sendable {
    package let path: String
    let pool: DatabasePool

    /// Opens (creating the file and its folder on first use) and migrates the database at `path`.
    package init(path: String, busyTimeout: TimeInterval = 30, readOnly: Bool = false) throws(StoreError) {
        self.path = path
        if !readOnly { try PrivateDatabaseFile.create(path) }
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.readonly = readOnly
        configuration.journalMode = .wal
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // The writer gets room for a batch's pages before they hit the WAL (8 MB: 16 MB was no faster at
            // 100,000 reports and cost 10 MB of peak RSS); readers answer look-ups and streaming aggregates.
            try db.execute(sql: db.configuration.readonly ? "PRAGMA cache_size = -2000" : "PRAGMA cache_size = -8000")
            if !db.configuration.readonly {
                // A batch dirties pages all over the hash indexes; checkpointing every 1,000 pages (the default)
                // copied them into the database file after nearly every commit of a large ingest. A 32 MB WAL
                // copies each page once for several commits.
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 8192")
            }
        }
        // Two processes that open a new database at the same moment (two `ingest` runs from cron, `watch`
        // and an alias pipe) race to switch it to WAL and to run the migrations. The loser is told so by
        // SQLite ("database is locked" at once: no busy handler applies there) or by the database's state
        // (see ``migrate(_:)``); opening again after a pause finds the schema in place,
        // so those are retried within the busy timeout.
        let deadline = Date().addingTimeInterval(busyTimeout)
        var opened: DatabasePool?
        while opened == nil {
            do {
                let candidate = try DatabasePool(path: path, configuration: configuration)
                if !readOnly {
                    try Self.migrate(candidate)
                    _ = try candidate.write { db in try Rollups.rebuildIfStale(db) }
                }
                opened = candidate
            } catch let error as DatabaseError where Date() < deadline && Self.isBusy(error) {
                usleep(UInt32.random(in: 20_000...80_000))
            } catch is LostOpeningRace where Date() < deadline {
                usleep(UInt32.random(in: 20_000...80_000))
            } catch let race as LostOpeningRace {
                throw Self.map(race.error, path: path, doing: "open")
            } catch {
                throw Self.map(error, path: path, doing: "open")
            }
        }
        pool = opened!
    }

    static func isBusy(_ error: DatabaseError) -> Bool {
        [.SQLITE_BUSY, .SQLITE_LOCKED].contains(error.resultCode.primaryResultCode)
    }

    /// A migration failed because another process ran it first.
    struct LostOpeningRace: Error {
        let error: DatabaseError
    }

    /// Runs the pending migrations, and tells a lost race from a real failure by the database's state, not
    /// by SQLite's wording.
    ///
    /// GRDB's migrator reads which migrations were applied once, then runs each pending one in its own
    /// transaction: a process that lost the race runs a migration the winner has just committed, and fails
    /// ("already exists", "duplicate column name", or on recording itself in `grdb_migrations`); its
    /// transaction rolls back. The race shows in the state: migrations were recorded that were not when
    /// this attempt began. (This attempt records those before the one that failed, too: then the next
    /// attempt begins from there, and a failure that is no race fails it again with nothing new recorded.)
    static func migrate(_ pool: DatabasePool) throws {
        let migrator = StoreSchema.migrator
        let before = try pool.read { db in try migrator.appliedIdentifiers(db) }
        do {
            try migrator.migrate(pool)
        } catch let error as DatabaseError {
            if isBusy(error) { throw error }
            let after = (try? pool.read { db in try migrator.appliedIdentifiers(db) }) ?? before
            if after.isSubset(of: before) { throw error }
            throw LostOpeningRace(error: error)
        }
    }

    /// Translates SQLite failures into the few cases a user can act on, naming the file.
    static func map(_ error: any Error, path: String, doing action: String) -> StoreError {
        if let error = error as? StoreError { return error }
        guard let dbError = error as? DatabaseError else {
            return StoreError(.other, "cannot \(action) the database \(path): \(error)")
        }
        let detail = dbError.message ?? "\(dbError.resultCode)"
        switch dbError.resultCode.primaryResultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return StoreError(.busy, "the database \(path) is locked by another process (\(detail)); try again later")
        case .SQLITE_FULL:
            return StoreError(.cannotWrite, "cannot \(action) the database \(path): the disk is full")
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_IOERR, .SQLITE_AUTH:
            return StoreError(.cannotWrite, "cannot \(action) the database \(path): \(detail)")
        case .SQLITE_CANTOPEN:
            return StoreError(.cannotOpen, "cannot open the database \(path): \(detail)")
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return StoreError(.incompatible, "\(path) is not a usable tlsrpt database: \(detail)")
        default:
            return StoreError(.other, "cannot \(action) the database \(path): \(detail)")
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.read(body)
        } catch {
            throw Self.map(error, path: path, doing: "read")
        }
    }

    /// Writes in an IMMEDIATE transaction: it takes the write lock up front, so two processes wait for each
    /// other through the busy timeout instead of one failing with SQLITE_BUSY when it upgrades a read.
    func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        } catch {
            throw Self.map(error, path: path, doing: "write to")
        }
    }
}
