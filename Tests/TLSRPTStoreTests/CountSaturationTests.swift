import Foundation
import GRDB
import TLSRPTCore
import TLSRPTTestSupport
import Testing

@testable import TLSRPTStore

/// Sums of counts across reports saturate at 2^53 and stay INTEGERs, in the rollups, in every query the
/// summary and the diagnosis make, and in databases an older version left a REAL in (hardening issue,
/// finding 2). 1,100 reports of 2^53 failed sessions each add up to 1,100 × 2^53 ≈ 9.9e18 > 2^63 - 1.
struct CountSaturationTests {
    let dir = TemporaryDirectory()
    let store: ReportStore
    static let reports = 1_100
    /// 2026-11-22, the day of `reportJSON`'s date range, in Unix days.
    static let day: Int64 = 20_779

    init() throws {
        store = try ReportStore(path: dir.file("db.sqlite"))
        var batch = StoreBatch()
        for index in 0..<Self.reports {
            batch.reports.append(try incomingReport(HostileCounts.maximalReport(index: index), name: "\(index)"))
        }
        try store.commit(batch)
    }

    func value(_ sql: String) throws -> DatabaseValue {
        try store.pool.read { db in try DatabaseValue.fetchOne(db, sql: sql) ?? .null }
    }

    @Test func rollupCountsSaturateAndStayIntegers() throws {
        for (table, column) in [("rollup_session", "failed"), ("rollup_failure", "failed"), ("rollup_evidence", "failed")] {
            #expect(try value("SELECT typeof(\(column)) FROM \(table)") == "integer".databaseValue, "\(table)")
            #expect(try value("SELECT \(column) FROM \(table)") == HostileCounts.twoTo53.databaseValue, "\(table)")
        }
        #expect(try value("SELECT reports FROM rollup_evidence") == Int64(Self.reports).databaseValue)
    }

    @Test func summaryAndDiagnosisReadSaturatedSumsFromRollupsAndRawRows() throws {
        // Whole days come from the rollups; a period within one day reads that day's raw rows.
        let start = TimeInterval(Self.day * 86_400)
        let withinTheDay = ReportFilter(from: Date(timeIntervalSince1970: start - 3_600), to: Date(timeIntervalSince1970: start + 3_600))
        for filter in [ReportFilter(), withinTheDay] {
            let cells = try store.summaryCells(filter)
            #expect(cells.reportsBySender["Google Inc."] == Int64(Self.reports))
            #expect(cells.sessions.map(\.failed) == [HostileCounts.twoTo53])
            #expect(cells.failures.map(\.failed) == [HostileCounts.twoTo53])
            let evidence = try store.evidenceRows(filter)
            #expect(evidence.failures.map(\.failed) == [HostileCounts.twoTo53])
            #expect(evidence.sessions.map(\.failed) == [HostileCounts.twoTo53])
            #expect(try store.dailyTotals(filter).map(\.failed) == [HostileCounts.twoTo53])
        }
    }

    @Test func theUpsertsSpellTheCeilingAsCountSumDoes() {
        #expect(CountSQL.ceilingLiteral == String(CountSum.ceiling))
    }

    @Test func oneReportsFailureGroupSaturatesEvenWhenBuiltByHand() throws {
        let detail = FailureDetail(
            resultType: .certificateExpired, resultTypeRaw: "certificate-expired", sendingMTAIP: nil, receivingMXHostname: nil,
            receivingMXHelo: nil, receivingIP: nil, failedSessionCount: .max / 2, additionalInformation: nil, failureReasonCode: nil)
        let policy = PolicyResult(
            policy: Policy(type: .sts, strings: [], domain: "example.com", mxHosts: []), summary: SessionSummary(successful: 0, failed: 0),
            failureDetails: [detail, detail, detail])
        #expect(Rollups.evidence(of: [policy], policyTexts: [nil], counted: [0]).failures.map(\.failed) == [HostileCounts.twoTo53])
    }

    /// A database an older version wrote: a rollup count turned REAL by an overflowing `+`, and no v5.
    @Test func theMigrationRepairsARealLeftInARollup() throws {
        let path = dir.file("db.sqlite")
        try store.pool.write { db in
            try db.execute(
                sql: """
                    UPDATE rollup_failure SET failed = 9.9e18;
                    UPDATE rollup_evidence SET failed = 9.9e18;
                    ALTER TABLE rollup_evidence DROP COLUMN receiving_ips_omitted;
                    DELETE FROM grdb_migrations WHERE identifier = 'v5-saturated-counts';
                    """)
        }
        let reopened = try ReportStore(path: path)
        let failed = try reopened.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT typeof(failed), failed FROM rollup_failure UNION ALL SELECT typeof(failed), failed FROM rollup_evidence")
        }
        #expect(failed.map { $0[0] as String } == ["integer", "integer"])
        #expect(failed.map { $0[1] as Int64 } == [HostileCounts.twoTo53, HostileCounts.twoTo53])
        #expect(try reopened.summaryCells(ReportFilter()).failures.map(\.failed) == [HostileCounts.twoTo53])
    }
}
