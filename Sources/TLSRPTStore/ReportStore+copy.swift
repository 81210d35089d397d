package import Foundation
import GRDB

extension ReportStore: ReportStorage {
    package var location: String { path }

    package func exportReports(afterID: Int64, limit: Int) throws(StoreError) -> [ExportedReport] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT r.id, x.raw_gzip, r.channel, r.source_name, r.submitter, r.report_domain, r.message_id, r.subject_report_id,
                        r.mail_date, r.client_address, r.user_agent, r.received_at, r.notes,
                    (SELECT inferred_domain FROM policy WHERE report = r.id AND inferred_domain IS NOT NULL ORDER BY position LIMIT 1)
                    FROM report r JOIN report_raw x ON x.report = r.id WHERE r.id > ? ORDER BY r.id LIMIT ?
                    """,
                arguments: [afterID, limit]
            ).map { row in
                ExportedReport(
                    id: row[0], rawGzip: Array(row[1] as Data),
                    provenance: Provenance(
                        channel: Provenance.Channel(rawValue: row[2]) ?? .file, name: row[3], submitter: row[4], reportDomain: row[5],
                        messageID: row[6], subjectReportID: row[7], mailDate: row[8], clientAddress: row[9], userAgent: row[10]),
                    receivedAt: Date(timeIntervalSince1970: TimeInterval(row[11] as Int64)),
                    notes: (row[12] as String?).map { $0.split(separator: "\n").map(String.init) } ?? [], inferredDomain: row[13])
            }
        }
    }

    package func exportRejections(afterID: Int64, limit: Int) throws(StoreError) -> [ExportedRejection] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, input_hash, channel, source_name, reason, kept_at, received_at, raw FROM rejection
                    WHERE id > ? ORDER BY id LIMIT ?
                    """,
                arguments: [afterID, limit]
            ).map { row in
                ExportedRejection(
                    id: row[0], inputHash: (row[1] as Data?).map { Array($0) }, channel: row[2], sourceName: row[3], reason: row[4],
                    keptAt: row[5], receivedAt: row[6], raw: (row[7] as Data?).map { Array($0) })
            }
        }
    }

    package func exportSeenInputs() throws(StoreError) -> [(hash: [UInt8], outcome: InputOutcome)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT hash, outcome FROM seen_input ORDER BY hash").compactMap { row in
                InputOutcome(rawValue: row[1]).map { (Array(row[0] as Data), $0) }
            }
        }
    }

    package func importRejections(_ rejections: [ExportedRejection]) throws(StoreError) -> Int {
        try write { db in
            var added = 0
            for rejection in rejections {
                if let hash = rejection.inputHash {
                    try db.execute(
                        sql: """
                            INSERT INTO rejection (input_hash, channel, source_name, reason, kept_at, received_at, raw)
                            VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(input_hash) DO NOTHING
                            """,
                        arguments: [
                            Data(hash), rejection.channel, rejection.sourceName, rejection.reason, rejection.keptAt, rejection.receivedAt,
                            rejection.raw.map { Data($0) },
                        ])
                } else {
                    try db.execute(
                        sql: """
                            INSERT INTO rejection (input_hash, channel, source_name, reason, kept_at, received_at, raw)
                            SELECT NULL, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (
                                SELECT 1 FROM rejection WHERE input_hash IS NULL AND received_at = ? AND channel = ? AND source_name = ?
                                    AND reason = ?)
                            """,
                        arguments: [
                            rejection.channel, rejection.sourceName, rejection.reason, rejection.keptAt, rejection.receivedAt,
                            rejection.raw.map { Data($0) }, rejection.receivedAt, rejection.channel, rejection.sourceName, rejection.reason,
                        ])
                }
                added += db.changesCount
            }
            return added
        }
    }
}
