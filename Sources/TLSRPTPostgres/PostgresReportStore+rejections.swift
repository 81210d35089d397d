package import Foundation
import TLSRPTCore
package import TLSRPTStore

/// The ceiling on raw copies of rejected inputs (``RawCopyBudget``), and what `tlsrpt copy` reads and writes.
extension PostgresReportStore {
    package func loadRawCopyBudget(channel: Provenance.Channel, maxBytes: Int) throws(StoreError) -> RawCopyBudget {
        try read { session in
            let c = PostgresColumns(
                try session.rows(
                    """
                    SELECT COALESCE(SUM(octet_length(raw)), 0)::bigint, MIN(CASE WHEN raw IS NOT NULL THEN id END), COALESCE(MAX(id), 0),
                        COUNT(CASE WHEN raw IS NULL AND kept_at = ? THEN 1 END)
                    FROM rejection WHERE channel = ?
                    """, [.text(RawCopyBudget.droppedNote(maxBytes: maxBytes)), .text(channel.rawValue)])[0])
            let newest = try c.int64(2)
            return RawCopyBudget(
                channel: channel, maxBytes: max(0, maxBytes), keptBytes: try c.int(0), dropped: try c.int(3),
                oldestKept: try c.optionalInt64(1) ?? newest + 1, newestCounted: newest)
        }
    }

    package func enforce(_ budget: inout RawCopyBudget) throws(StoreError) -> Int {
        let current = budget
        let (updated, droppedNow) = try write { session -> (RawCopyBudget, Int) in
            var keptBytes = current.keptBytes
            var oldestKept = current.oldestKept
            var newestCounted = current.newestCounted
            let added = PostgresColumns(
                try session.rows(
                    """
                    SELECT COALESCE(SUM(octet_length(raw)), 0)::bigint, MAX(id) FROM rejection WHERE id > ? AND channel = ?
                    """, [.integer(newestCounted), .text(current.channel.rawValue)])[0])
            if let newest = try added.optionalInt64(1) {
                keptBytes += try added.int(0)
                newestCounted = newest
            }
            func budget(dropped: Int) -> RawCopyBudget {
                RawCopyBudget(
                    channel: current.channel, maxBytes: current.maxBytes, keptBytes: keptBytes, dropped: current.dropped + dropped,
                    oldestKept: oldestKept, newestCounted: newestCounted)
            }
            guard keptBytes > current.maxBytes else { return (budget(dropped: 0), 0) }
            var victims: [Int64] = []
            for row in try session.rows(
                """
                SELECT id, octet_length(raw) FROM rejection WHERE id >= ? AND id <= ? AND channel = ? AND raw IS NOT NULL ORDER BY id
                """, [.integer(oldestKept), .integer(newestCounted), .text(current.channel.rawValue)])
            {
                guard keptBytes > current.maxBytes else { break }
                let c = PostgresColumns(row)
                let id = try c.int64(0)
                victims.append(id)
                keptBytes -= Int(try c.optionalInt64(1) ?? 0)
                oldestKept = id + 1
            }
            if keptBytes > current.maxBytes {
                keptBytes = 0
                oldestKept = newestCounted + 1
            }
            if !victims.isEmpty {
                try session.execute(
                    "UPDATE rejection SET raw = NULL, kept_at = ? WHERE id = ANY(?::bigint[])",
                    [.text(RawCopyBudget.droppedNote(maxBytes: current.maxBytes)), .integers(victims)])
            }
            return (budget(dropped: victims.count), victims.count)
        }
        budget = updated
        return droppedNow
    }

    package func exportReports(afterID: Int64, limit: Int) throws(StoreError) -> [ExportedReport] {
        try read { session in
            try session.rows(
                """
                SELECT r.id, x.raw_gzip, r.channel, r.source_name, r.submitter, r.report_domain, r.message_id, r.subject_report_id,
                    r.mail_date, r.client_address, r.user_agent, r.received_at, r.notes,
                (SELECT inferred_domain FROM policy WHERE report = r.id AND inferred_domain IS NOT NULL ORDER BY position LIMIT 1)
                FROM report r JOIN report_raw x ON x.report = r.id WHERE r.id > ? ORDER BY r.id LIMIT ?
                """, [.integer(afterID), .integer(Int64(limit))]
            ).map { row in
                let c = PostgresColumns(row)
                return ExportedReport(
                    id: try c.int64(0), rawGzip: try c.bytes(1),
                    provenance: Provenance(
                        channel: Provenance.Channel(rawValue: try c.text(2)) ?? .file, name: try c.text(3), submitter: try c.optionalText(4),
                        reportDomain: try c.optionalText(5), messageID: try c.optionalText(6), subjectReportID: try c.optionalText(7),
                        mailDate: try c.optionalText(8), clientAddress: try c.optionalText(9), userAgent: try c.optionalText(10)),
                    receivedAt: Date(timeIntervalSince1970: TimeInterval(try c.int64(11))),
                    notes: try c.optionalText(12).map { $0.split(separator: "\n").map(String.init) } ?? [], inferredDomain: try c.optionalText(13))
            }
        }
    }

    package func exportRejections(afterID: Int64, limit: Int) throws(StoreError) -> [ExportedRejection] {
        try read { session in
            try session.rows(
                """
                SELECT id, input_hash, channel, source_name, reason, kept_at, received_at, raw FROM rejection WHERE id > ? ORDER BY id LIMIT ?
                """, [.integer(afterID), .integer(Int64(limit))]
            ).map { row in
                let c = PostgresColumns(row)
                return ExportedRejection(
                    id: try c.int64(0), inputHash: try c.optionalBytes(1), channel: try c.text(2), sourceName: try c.text(3), reason: try c.text(4),
                    keptAt: try c.optionalText(5), receivedAt: try c.int64(6), raw: try c.optionalBytes(7))
            }
        }
    }

    package func exportSeenInputs() throws(StoreError) -> [(hash: [UInt8], outcome: InputOutcome)] {
        try read { session in
            try session.rows("SELECT hash, outcome FROM seen_input ORDER BY hash").compactMap { row -> (hash: [UInt8], outcome: InputOutcome)? in
                let c = PostgresColumns(row)
                guard let outcome = InputOutcome(rawValue: try c.text(1)) else { return nil }
                return (try c.bytes(0), outcome)
            }
        }
    }

    package func importRejections(_ rejections: [ExportedRejection]) throws(StoreError) -> Int {
        try write { session in
            var added = 0
            for rejection in rejections {
                let values: [PostgresValue] = [
                    PostgresValue(rejection.inputHash), .text(rejection.channel), .text(rejection.sourceName), .text(rejection.reason),
                    PostgresValue(rejection.keptAt), .integer(rejection.receivedAt), PostgresValue(rejection.raw),
                ]
                if rejection.inputHash != nil {
                    added += try session.execute(
                        """
                        INSERT INTO rejection (input_hash, channel, source_name, reason, kept_at, received_at, raw)
                        VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (input_hash) DO NOTHING
                        """, values)
                } else {
                    added += try session.execute(
                        """
                        INSERT INTO rejection (input_hash, channel, source_name, reason, kept_at, received_at, raw)
                        SELECT ?::bytea, ?, ?, ?, ?, ?::bigint, ?::bytea WHERE NOT EXISTS (
                            SELECT 1 FROM rejection WHERE input_hash IS NULL AND received_at = ? AND channel = ? AND source_name = ? AND reason = ?)
                        """,
                        values + [.integer(rejection.receivedAt), .text(rejection.channel), .text(rejection.sourceName), .text(rejection.reason)])
                }
            }
            return added
        }
    }
}
