import Foundation
import TLSRPTCore
import TLSRPTStore
import Testing

@testable import TLSRPTAnalysis

/// Issue #13: a finding counts one set of sessions per report and domain, as the totals do, and says since
/// when a problem lasts (beyond the period) and until when (the end of the last report). Every expected
/// number below is worked out by hand from the fixtures.
struct FindingCountTests {
    func report(_ fixtures: [ReportFixture], _ period: ReportPeriod) throws -> PeriodReport {
        let store = try TestStore()
        defer { store.remove() }
        try store.ingest(fixtures)
        return try PeriodReportBuilder.build(store: store.store, period: period, now: Day.date("2026-12-31"))
    }

    static func mismatch(_ count: Int64) -> ReportFixture.Failure {
        .init(resultType: "certificate-host-mismatch", host: "mx1.example.com", count: count)
    }

    /// Microsoft reports the same 100 sessions under sts and under tlsa, 10 failed in each copy.
    static let microsoftDual = ReportFixture(
        organization: "Microsoft Corporation", reportID: "ms-1", day: "2026-03-02",
        policies: [
            .init(type: "sts", successful: 90, failed: 10, failures: [mismatch(10)]),
            .init(type: "tlsa", strings: [], successful: 90, failed: 10, failures: [mismatch(10)]),
        ])

    /// Whole days (from the rollups) and a part of a day (from the raw rows) must agree.
    static let periods: [ReportPeriod] = [
        .between(from: Day.date("2026-03-01"), to: Day.date("2026-03-03")),
        .between(from: Day.date("2026-03-02"), to: Day.date("2026-03-02").addingTimeInterval(43_200)),
    ]

    @Test(arguments: periods) func microsoftsTwoCopiesCountOnceInAFinding(period: ReportPeriod) throws {
        let r = try report([Self.microsoftDual], period)
        #expect(r.summary.failedSessions == 10)
        let finding = try #require(r.findings.first { $0.resultTypes["certificate-host-mismatch"] != nil })
        #expect(finding.failedSessions == 10)  // not 10 + 10
        #expect(finding.resultTypes == ["certificate-host-mismatch": 10])
        #expect(finding.senders.map(\.failedSessions) == [10])
    }

    /// The sts copy counts (a tie in sessions and failures: the first type). Its failures are a certificate
    /// mismatch; the tlsa copy calls the same 10 sessions `tlsa-invalid`. The DANE finding still shows them.
    @Test(arguments: periods) func aFindingOnlyTheOtherCopyShowsStillShowsItsSessions(period: ReportPeriod) throws {
        let dual = ReportFixture(
            organization: "Microsoft Corporation", reportID: "ms-2", day: "2026-03-02",
            policies: [
                .init(type: "sts", successful: 90, failed: 10, failures: [Self.mismatch(10)]),
                .init(
                    type: "tlsa", strings: [], successful: 90, failed: 10,
                    failures: [.init(resultType: "tlsa-invalid", host: "mx1.example.com", count: 10)]),
            ])
        let r = try report([dual], period)
        #expect(r.summary.failedSessions == 10)
        let dane = try #require(r.findings.first { $0.resultTypes["tlsa-invalid"] != nil })
        #expect(dane.failedSessions == 10)
        let certificate = try #require(r.findings.first { $0.resultTypes["certificate-host-mismatch"] != nil })
        #expect(certificate.failedSessions == 10)
    }

    /// SocketLabs' split entries are distinct sessions: both add up in the finding as in the totals.
    @Test func splitEntriesOfOneTypeAddUp() throws {
        let split = ReportFixture(
            organization: "SocketLabs", reportID: "sl-1", day: "2026-03-02",
            policies: [
                .init(successful: 12, failed: 0),
                .init(successful: 0, failed: 2, failures: [Self.mismatch(2)]),
                .init(successful: 5, failed: 3, failures: [Self.mismatch(3)]),
            ])
        let r = try report([split], Self.periods[0])
        #expect(r.summary.failedSessions == 5)
        #expect(r.findings.first { $0.resultTypes["certificate-host-mismatch"] != nil }?.failedSessions == 5)
    }

    /// The same failure on 02-20 and on 03-02: in the week of 03-01 it has lasted since 02-20.
    @Test func sinceLooksBeyondThePeriod() throws {
        let failing = { (id: String, day: String) in
            ReportFixture(
                organization: "Google Inc.", reportID: id, day: day,
                policies: [.init(successful: 10, failed: 4, failures: [.init(resultType: "starttls-not-supported", host: "mx1.example.com", count: 4)])])
        }
        let r = try report(
            [failing("g-0220", "2026-02-20"), failing("g-0302", "2026-03-02")],
            .between(from: Day.date("2026-03-01"), to: Day.date("2026-03-08")))
        let finding = try #require(r.findings.first { $0.resultTypes["starttls-not-supported"] != nil })
        #expect(finding.failedSessions == 4)  // the period's report only
        #expect(RFC3339Date.day(finding.firstSeen) == "2026-02-20")
        #expect(RFC3339Date.day(finding.lastSeen) == "2026-03-02")
    }

    /// A report for 03-01 to 03-07 was last seen on 03-07, the day it ends.
    @Test func lastSeenIsWhereTheLastReportEnds() throws {
        var week = ReportFixture(
            organization: "Google Inc.", reportID: "g-week", day: "2026-03-01",
            policies: [.init(successful: 10, failed: 4, failures: [.init(resultType: "starttls-not-supported", host: "mx1.example.com", count: 4)])])
        week.lastDay = "2026-03-07"
        let r = try report([week], .between(from: Day.date("2026-03-01"), to: Day.date("2026-03-08")))
        let finding = try #require(r.findings.first { $0.resultTypes["starttls-not-supported"] != nil })
        #expect(RFC3339Date.day(finding.firstSeen) == "2026-03-01")
        #expect(RFC3339Date.day(finding.lastSeen) == "2026-03-07")
        #expect(finding.sinceText.contains("last seen 2026-03-07"))
    }
}
