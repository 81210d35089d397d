import Foundation
import GRDB
import TLSRPTCore
import TLSRPTTestSupport
import Testing

@testable import TLSRPTStore

/// One failure group naming 100,000 distinct receiving IPs is gathered with sets, keeps 64 of them per
/// group and day, and counts the rest (hardening issue, finding 3: a linear scan per IP took 123 s in
/// release inside the write lock).
struct EvidenceValueCapTests {
    let dir = TemporaryDirectory()
    static let addresses = 100_000
    /// 100,000 − 64 kept.
    static let omitted: Int64 = 99_936

    @Test func aHundredThousandReceivingIPsAreBoundedWork() throws {
        let store = try ReportStore(path: dir.file("db.sqlite"))
        let report = try incomingReport(HostileCounts.manyReceivingIPs(Self.addresses), name: "many")
        let evidence = Rollups.evidence(of: report.decoded.report.policies, policyTexts: [nil], counted: [0])
        #expect(evidence.failures.count == 1)
        #expect(evidence.failures[0].receivingIPs.count == 64)
        #expect(evidence.failures[0].receivingIPs.first == "10.0.0.0" && evidence.failures[0].receivingIPs.last == "10.0.0.63")
        #expect(evidence.failures[0].omittedReceivingIPs == Self.omitted)
        #expect(evidence.failures[0].failed == 100_000)

        let started = Date()
        var batch = StoreBatch()
        batch.reports = [report]
        try store.commit(batch)
        // Generous: quadratic work took minutes here; the bounded insert takes well under a second.
        #expect(Date().timeIntervalSince(started) < 20)

        let kept = try store.pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM rollup_evidence_value WHERE kind = 1")
        }
        #expect(kept == 64)
        // Rollups (whole days) and raw rows (a period inside the day) say the same.
        let start = TimeInterval(20_779 * 86_400)
        let withinTheDay = ReportFilter(from: Date(timeIntervalSince1970: start - 3_600), to: Date(timeIntervalSince1970: start + 3_600))
        for filter in [ReportFilter(), withinTheDay] {
            let groups = try store.evidenceRows(filter).failures
            #expect(groups.map(\.receivingIPs.count) == [64])
            #expect(groups.map(\.omittedReceivingIPs) == [Self.omitted])
            #expect(groups.map(\.failed) == [100_000])
        }
    }

    @Test func aLaterReportNamingKeptAddressesLeavesNothingMoreOut() throws {
        let store = try ReportStore(path: dir.file("db.sqlite"))
        for (id, addresses) in [("first", 70), ("second", 3)] {
            var batch = StoreBatch()
            // The second report's three addresses are among the 64 kept: nothing more is left out.
            batch.reports = [try incomingReport(HostileCounts.manyReceivingIPs(addresses, reportID: id), name: id)]
            try store.commit(batch)
        }
        let group = try #require(try store.evidenceRows(ReportFilter()).failures.first)
        #expect(group.receivingIPs.count == 64)
        #expect(group.omittedReceivingIPs == 6)

        // Addresses left out are not kept, so naming them again counts them again: an upper bound.
        var batch = StoreBatch()
        batch.reports = [try incomingReport(HostileCounts.manyReceivingIPs(70, reportID: "third"), name: "third")]
        try store.commit(batch)
        #expect(try store.evidenceRows(ReportFilter()).failures.map(\.omittedReceivingIPs) == [6 + 6])
    }
}
