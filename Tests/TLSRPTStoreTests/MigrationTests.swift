import Foundation
import GRDB
import TLSRPTCore
import TLSRPTExtract
import TLSRPTTestSupport
import Testing

@testable import TLSRPTStore

/// A database written by an earlier version must open with the current one, keep every row, and go on
/// finding duplicates and conflicts.
struct MigrationTests {
    let dir = TemporaryDirectory()

    func incoming(_ id: String, successful: Int = 5) throws -> IncomingReport {
        let json = reportJSON(
            reportID: "\"\(id)\"", start: "2026-11-10T00:00:00Z", end: "2026-11-10T23:59:59Z",
            policies:
                #"[{"policy":{"policy-type":"sts","policy-domain":"example.com"},"summary":{"total-successful-session-count":\#(successful),"total-failure-session-count":1},"failure-details":[{"result-type":"certificate-expired","failed-session-count":1}]}]"#
        )
        return IncomingReport(
            decoded: try ReportDecoder().decode(json), rawGzip: Gzip.compress(json), provenance: Provenance(channel: .file, name: id))
    }

    @Test func aDatabaseWithAUniqueContentHashUpgradesAndKeepsItsRows() throws {
        let path = dir.file("old.sqlite")
        let first = try incoming("a")
        // The schema as the first release left it, with one report written by hand into it.
        do {
            let queue = try DatabaseQueue(path: path)
            try StoreSchema.migrator.migrate(queue, upTo: "v2-rollups")
            try queue.write { db in
                #expect(try Self.indexes(db).contains { $0.hasPrefix("sqlite_autoindex_report") })
                try db.execute(
                    sql: """
                        INSERT INTO report (id, organization, report_id, start_time, end_time, content_hash, channel, source_name,
                            received_at) VALUES (1, 'Google Inc.', 'a', 1762732800, 1762819199, ?, 'file', 'a', 0);
                        INSERT INTO report_raw VALUES (1, x'1f8b');
                        INSERT INTO policy (id, report, position, policy_type, policy_domain, successful, failed, counted)
                            VALUES (1, 1, 0, 'sts', 'example.com', 5, 1, 1);
                        INSERT INTO failure (policy, report, result_type, result_type_raw, category, failed_sessions)
                            VALUES (1, 1, 'certificate-expired', 'certificate-expired', 'certificate', 1);
                        """, arguments: [Data(first.contentHash)])
                try Rollups.rebuild(db)
            }
        }
        let store = try ReportStore(path: path)
        let indexes = try store.pool.read { db in try Self.indexes(db) }
        #expect(!indexes.contains { $0.hasPrefix("sqlite_autoindex_report") })
        #expect(indexes.contains("report_identity") && indexes.contains("report_start"))
        #expect(try store.check().isEmpty)
        // The stored report again is a duplicate; the same identity with other content a conflict.
        var batch = StoreBatch()
        batch.reports = [first, try incoming("a", successful: 6)]
        #expect(try store.commit(batch) == [.duplicate(id: 1), .stored(id: 2, conflict: true)])
        let counts = try store.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT (SELECT COUNT(*) FROM policy), (SELECT COUNT(*) FROM failure), (SELECT COUNT(*) FROM report_raw)")
        }
        #expect(counts?[0] == 2 && counts?[1] == 2 && counts?[2] == 2)
        #expect(try store.summaryCells(ReportFilter()).reportsBySender == ["Google Inc.": 2])
    }

    static func indexes(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'report'")
    }
}
