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
                            received_at) VALUES (1, 'Google Inc.', 'a', 1794268800, 1794355199, ?, 'file', 'a', 0);
                        INSERT INTO report_raw VALUES (1, x'1f8b');
                        INSERT INTO policy (id, report, position, policy_type, policy_domain, successful, failed, counted)
                            VALUES (1, 1, 0, 'sts', 'example.com', 5, 1, 1);
                        INSERT INTO failure (policy, report, result_type, result_type_raw, category, failed_sessions)
                            VALUES (1, 1, 'certificate-expired', 'certificate-expired', 'certificate', 1);
                        """, arguments: [Data(first.contentHash)])
                // The rollups stay empty here: the rebuild after the migrations fills them.
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
        // Two versions of one report: only one (6/1, the more sessions) counts.
        #expect(try store.summaryCells(ReportFilter()).reportsBySender == ["Google Inc.": 1])
        #expect(try store.summaryCells(ReportFilter()).sessions.map(\.successful) == [6])
    }

    /// A database as v5 left it (one counted policy per report and domain, every version of a report
    /// counted, conflicts by organisation and report-id), holding issue #13's shapes, upgraded, must give the
    /// same summary as a fresh ingest of the same reports.
    @Test func aVersion5DatabaseWithIssue13ShapesUpgradesToTheSameSummaryAsAFreshIngest() throws {
        typealias S = CountingShapesTests
        let inputs: [[UInt8]] = [
            S.json([S.entry("sts", "example.com", 12, 0), S.entry("sts", "example.com", 0, 2, details: S.socketLabsFailure)]),
            S.json(organization: "Google Inc.", [
                S.entry("sts", "example.com", 30, 0, policy: "old.example.com"), S.entry("sts", "example.com", 10, 3, policy: "new.example.com"),
            ]),
            S.json(organization: "Microsoft Corporation", [S.entry("sts", "example.com", 19, 1), S.entry("tlsa", "example.com", 19, 1)]),
            S.yahoo30, S.yahoo12,
            S.json(organization: "Yahoo", id: "same", day: 23, [S.entry("sts", "example.com", 5, 1)]),
            S.json(organization: "Yahoo", id: "same", day: 24, [S.entry("sts", "example.com", 5, 1)]),
        ]
        func ingest(_ path: String) throws -> ReportStore {
            let store = try ReportStore(path: path)
            for bytes in inputs {
                var batch = StoreBatch()
                batch.reports = [
                    IncomingReport(decoded: try ReportDecoder().decode(bytes), rawGzip: Gzip.compress(bytes), provenance: Provenance(channel: .file, name: "r"))
                ]
                try store.commit(batch)
            }
            return store
        }
        let fresh = try ingest(dir.file("fresh.sqlite"))
        let oldPath = dir.file("v5.sqlite")
        // Written by today's store, then taken back to v5: the column and index v6 added go, the flags are
        // set as v5 set them, the rollups are made wrong (as v5's were for these shapes), and v6 is forgotten.
        do {
            _ = try ingest(oldPath)
            let queue = try DatabaseQueue(path: oldPath)
            try queue.write { db in
                try db.execute(
                    sql: """
                        ALTER TABLE report DROP COLUMN counts;
                        DROP INDEX report_identity;
                        CREATE INDEX report_identity ON report(organization, report_id);
                        UPDATE policy SET counted = 0;
                        UPDATE policy SET counted = 1 WHERE id IN (
                            SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY report, policy_domain
                                ORDER BY successful + failed DESC, failed DESC, position) AS rank FROM policy) WHERE rank = 1);
                        UPDATE report SET conflict = EXISTS (SELECT 1 FROM report o WHERE o.organization = report.organization
                            AND o.report_id = report.report_id AND o.id != report.id);
                        UPDATE rollup_session SET successful = successful + 1000;
                        DELETE FROM rollup_failure;
                        DROP TABLE rollup_stale;
                        DELETE FROM grdb_migrations WHERE identifier = 'v6-counting-rule';
                        DROP INDEX rollup_evidence_by_group;
                        ALTER TABLE rollup_evidence DROP COLUMN counted_failed;
                        ALTER TABLE rollup_evidence DROP COLUMN last_end;
                        DELETE FROM grdb_migrations WHERE identifier = 'v7-evidence-counted';
                        """)
                // What v5 counted for these (worked out by hand): SocketLabs 12, Google 30, Microsoft 19+1,
                // Yahoo 12 + 28+2 + 5+1 + 5+1, plus the 1000s added to each rollup row.
                #expect(try Int.fetchOne(db, sql: "SELECT SUM(successful + failed) FROM policy WHERE counted = 1") == 12 + 30 + 20 + 12 + 30 + 6 + 6)
                #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM report WHERE conflict = 1") == 4)
            }
        }
        let upgraded = try ReportStore(path: oldPath)
        #expect(try upgraded.check().isEmpty)
        #expect(try Self.normalised(upgraded.summaryCells(ReportFilter())) == Self.normalised(fresh.summaryCells(ReportFilter())))
        #expect(try upgraded.dailyTotals(ReportFilter()) == fresh.dailyTotals(ReportFilter()))
        // The diagnosis reads the same evidence (v7's counted failures and report ends included).
        let evidence = try upgraded.evidenceRows(ReportFilter())
        #expect(!evidence.failures.isEmpty)
        EvidenceRollupTests.expectSame(evidence, try fresh.evidenceRows(ReportFilter()))
        let listing = try upgraded.reports(ReportFilter()).map { [$0.reportID, "\($0.conflict)", "\($0.counts)"] }
        #expect(listing == (try fresh.reports(ReportFilter()).map { [$0.reportID, "\($0.conflict)", "\($0.counts)"] }))
        // By hand: 12+2 (SocketLabs) + 40+3 (Google) + 19+1 (Microsoft) + 28+2 (Yahoo's counted version)
        // + 5+1 + 5+1 (the reused id, two reports) = 109 successful, 10 failed, from 6 reports.
        let cells = try upgraded.summaryCells(ReportFilter())
        #expect(cells.sessions.map(\.successful).reduce(0, +) == 109)
        #expect(cells.sessions.map(\.failed).reduce(0, +) == 10)
        #expect(cells.reportsBySender.values.reduce(0, +) == 6)
    }

    static func normalised(_ cells: SummaryCells) -> [String] {
        cells.reportsBySender.map { "report \($0.key) \($0.value)" }.sorted()
            + cells.sessions.map { "session \($0.sender) \($0.domain ?? "-") \($0.reports) \($0.successful) \($0.failed)" }.sorted()
            + cells.failures.map { "failure \($0.sender) \($0.domain ?? "-") \($0.resultType) \($0.mxHost ?? "-") \($0.failed)" }.sorted()
            + ["\(String(describing: cells.earliestStart)) \(String(describing: cells.latestEnd))"]
    }

    static func indexes(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'report'")
    }
}
