import Foundation
import GRDB
import TLSRPTCore
import TLSRPTExtract
import TLSRPTTestSupport
import Testing

@testable import TLSRPTStore

/// One UTC day for a time, whichever path computes it: Swift at insert, SQL in rebuilds and queries.
struct UTCDayTests {
    @Test(arguments: [
        (Int64(0), Int64(0)), (86_399, 0), (86_400, 1), (-1, -1), (-86_400, -1), (-86_401, -2), (-43_200, -1),
    ])
    func daysRoundDownAlsoBefore1970(time: Int64, day: Int64) throws {
        #expect(UTCDay.of(time) == day)
        let queue = try DatabaseQueueForTests()
        #expect(try queue.int("SELECT \(UTCDay.sql(String(time)))") == day)
        #expect(try queue.int("SELECT \(UTCDay.sql("(\(time))"))") == day)
    }

    @Test(arguments: [(Int64(0), Int64(0)), (1, 1), (86_400, 1), (-1, 0), (-86_400, -1), (-86_399, 0)])
    func firstWholeDayAtOrAfter(time: Int64, day: Int64) {
        #expect(UTCDay.startingAtOrAfter(time) == day)
    }

    /// A report that starts at noon on 1969-12-31 is in day -1 when inserted and after a prune's rebuild,
    /// and in the daily series on 1969-12-31.
    @Test func aReportBefore1970KeepsItsDayThroughARebuild() throws {
        let dir = TemporaryDirectory()
        let store = try ReportStore(path: dir.file("db.sqlite"))
        let json = Array(
            #"{"organization-name":"Old","report-id":"r1","date-range":{"start-datetime":"1969-12-31T12:00:00Z","end-datetime":"1970-01-01T11:59:59Z"},"policies":[{"policy":{"policy-type":"sts","policy-domain":"example.com"},"summary":{"total-successful-session-count":3,"total-failure-session-count":1},"failure-details":[{"result-type":"starttls-not-supported","failed-session-count":1}]}]}"#
                .utf8)
        var batch = StoreBatch()
        batch.reports = [IncomingReport(decoded: try ReportDecoder().decode(json), rawGzip: Gzip.compress(json), provenance: Provenance(channel: .file, name: "old"))]
        try store.commit(batch)
        let days = { try store.read { db in try Int64.fetchAll(db, sql: "SELECT day FROM rollup_session UNION ALL SELECT day FROM rollup_evidence") } }
        #expect(try days() == [-1, -1])
        try store.write { db in try Rollups.rebuild(db) }
        #expect(try days() == [-1, -1])
        // Whole days (the rollups) and a part of the day (the raw rows) give the same day.
        for filter in [ReportFilter(), ReportFilter(from: Date(timeIntervalSince1970: -50_000), to: Date(timeIntervalSince1970: 0))] {
            let totals = try store.dailyTotals(filter)
            #expect(totals.map(\.day) == [Date(timeIntervalSince1970: -86_400)])
            #expect(totals.map(\.successful) == [3])
        }
    }
}

/// An in-memory SQLite connection, to evaluate SQL expressions.
struct DatabaseQueueForTests {
    let queue: DatabaseQueue

    init() throws { queue = try DatabaseQueue() }

    func int(_ sql: String) throws -> Int64? {
        try queue.read { db in try Int64.fetchOne(db, sql: sql) }
    }
}
