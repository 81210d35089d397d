import Foundation
import GRDB

/// A ceiling on the bytes that raw copies of rejected inputs of one channel may take in the database.
///
/// The HTTPS endpoint is unauthenticated: anyone can POST bodies that do not decode, and each is kept (a
/// bounded preview of it) so a person can see what a sender got wrong. Without a ceiling that is a way to
/// fill the disk. With one, the oldest raw copies are dropped first once the channel's copies pass
/// `maxBytes`; each rejection row itself (when, from where, why) stays, its `kept_at` saying the copy was
/// dropped, so `tlsrpt rejects` shows it and the count of dropped copies can be read back.
///
/// The budget remembers how far it has counted (by row id), so keeping it up to date after each commit
/// reads only the rows added since, and dropping walks from the oldest copy still kept: neither rescans
/// the whole table. Rows removed by `prune --include-rejects` are still counted until the next
/// `loadRawCopyBudget`, which errs on the side of dropping early.
package struct RawCopyBudget: Sendable, Equatable {
    package let channel: Provenance.Channel
    package let maxBytes: Int
    /// Bytes of raw copies of this channel with ids in `oldestKept...newestCounted`.
    package internal(set) var keptBytes: Int
    /// Raw copies of this channel dropped so far (by this budget or an earlier one), read from the rows.
    package internal(set) var dropped: Int
    package internal(set) var oldestKept: Int64
    package internal(set) var newestCounted: Int64

    /// What `kept_at` says once a row's raw copy is gone.
    package static func droppedNote(maxBytes: Int) -> String {
        "nowhere: its raw copy was dropped (the oldest go first once raw copies pass \(maxBytes) bytes)"
    }

    package init(channel: Provenance.Channel, maxBytes: Int, keptBytes: Int, dropped: Int, oldestKept: Int64, newestCounted: Int64) {
        self.channel = channel
        self.maxBytes = maxBytes
        self.keptBytes = keptBytes
        self.dropped = dropped
        self.oldestKept = oldestKept
        self.newestCounted = newestCounted
    }
}

extension ReportStore {
    /// Counts the raw copies of `channel` kept now (one pass over that channel's rows, at start).
    package func loadRawCopyBudget(channel: Provenance.Channel, maxBytes: Int) throws(StoreError) -> RawCopyBudget {
        try read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT COALESCE(SUM(length(raw)), 0), MIN(CASE WHEN raw IS NOT NULL THEN id END), COALESCE(MAX(id), 0),
                           COUNT(CASE WHEN raw IS NULL AND kept_at = ? THEN 1 END)
                    FROM rejection WHERE channel = ?
                    """,
                arguments: [RawCopyBudget.droppedNote(maxBytes: maxBytes), channel.rawValue])
            // MIN and MAX are NULL when no row matches: read them as optionals.
            let newest = row.flatMap { $0[2] as Int64? } ?? 0
            return RawCopyBudget(
                channel: channel, maxBytes: max(0, maxBytes), keptBytes: row.flatMap { $0[0] as Int? } ?? 0,
                dropped: row.flatMap { $0[3] as Int? } ?? 0, oldestKept: row.flatMap { $0[1] as Int64? } ?? newest + 1,
                newestCounted: newest)
        }
    }

    /// Counts the copies committed since the budget last looked, then drops the oldest until the
    /// channel's copies fit `maxBytes` again. Returns how many copies it dropped now.
    @discardableResult
    package func enforce(_ budget: inout RawCopyBudget) throws(StoreError) -> Int {
        let current = budget
        let (updated, droppedNow) = try write { db -> (RawCopyBudget, Int) in
            var budget = current
            let added = try Row.fetchOne(
                db,
                sql: """
                    SELECT COALESCE(SUM(length(raw)), 0), MIN(CASE WHEN raw IS NOT NULL THEN id END), MAX(id)
                    FROM rejection WHERE id > ? AND channel = ?
                    """,
                arguments: [budget.newestCounted, budget.channel.rawValue])
            if let newest = added.flatMap({ $0[2] as Int64? }) {
                budget.keptBytes += added.flatMap { $0[0] as Int? } ?? 0
                budget.newestCounted = newest
            }
            guard budget.keptBytes > budget.maxBytes else { return (budget, 0) }
            // The oldest copies first, read until enough is found; the cursor is done before any row changes.
            var victims: [Int64] = []
            do {
                let rows = try Row.fetchCursor(
                    db,
                    sql: """
                        SELECT id, length(raw) FROM rejection
                        WHERE id >= ? AND id <= ? AND channel = ? AND raw IS NOT NULL ORDER BY id
                        """,
                    arguments: [budget.oldestKept, budget.newestCounted, budget.channel.rawValue])
                while budget.keptBytes > budget.maxBytes, let row = try rows.next() {
                    let id: Int64 = row[0]
                    victims.append(id)
                    budget.keptBytes -= row[1] as Int
                    budget.oldestKept = id + 1
                }
            }
            if budget.keptBytes > budget.maxBytes {
                // Counted bytes that are no longer there (pruned rows): nothing is left to drop.
                budget.keptBytes = 0
                budget.oldestKept = budget.newestCounted + 1
            }
            let drop = try db.cachedStatement(sql: "UPDATE rejection SET raw = NULL, kept_at = ? WHERE id = ?")
            let note = RawCopyBudget.droppedNote(maxBytes: budget.maxBytes)
            for id in victims { try drop.execute(arguments: [note, id]) }
            budget.dropped += victims.count
            return (budget, victims.count)
        }
        budget = updated
        return droppedNow
    }
}
