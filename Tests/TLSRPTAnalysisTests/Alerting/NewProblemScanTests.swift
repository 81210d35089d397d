import Foundation
import TLSRPTCore
import TLSRPTProcessing
import TLSRPTStore
import Testing

@testable import TLSRPTAnalysis

/// Issue #16's "what is a new problem", through a real SQLite store: reports committed day by day as they
/// would arrive, each commit's stored reports handed to the scan, which raises and records alerts.
struct NewProblemScanTests {
    static let hosted = ["version: STSv1", "mode: enforce", "mx: *.hoster.example", "max_age: 604800"]
    let scan = NewProblemScan()
    let channels = [(channel: "command", target: "true")]

    /// Commits `fixtures` as one batch and returns what the scan sees of it.
    func commit(_ fixtures: [ReportFixture], to store: TestStore) throws -> CommittedFailures {
        var batch = StoreBatch()
        for (index, fixture) in fixtures.enumerated() {
            let result = InputProcessor().process(Array(fixture.json.utf8), provenance: Provenance(channel: .file, name: "f-\(index).json"))
            batch.reports += result.reports
        }
        let outcomes = try store.store.commit(batch)
        return CommittedFailures(reports: batch.reports, outcomes: outcomes)
    }

    func raise(_ fixtures: [ReportFixture], _ store: TestStore) throws -> [NewProblemScan.Raised] {
        try scan.raise(store: store.store, touched: try commit(fixtures, to: store), channels: channels, now: Day.date("2026-12-20"))
    }

    static func microsoftFailing(_ day: String, failed: Int64 = 35, successful: Int64 = 128) -> ReportFixture {
        ReportFixture(
            organization: StoryFixtures.microsoft, reportID: "ms-\(day)", day: day,
            policies: [
                .init(
                    successful: successful, failed: failed,
                    failures: [
                        .init(resultType: "certificate-host-mismatch", host: "mail.hoster-cdn.net", count: failed, receivingIP: "198.51.100.25")
                    ])
            ])
    }

    static func cleanWeeks(from first: String, weeks: Int = 2) -> [ReportFixture] {
        let start = Day.date(first)
        return (0..<(weeks * 7)).map { offset in
            let day = RFC3339Date.day(start.addingTimeInterval(Double(offset) * 86_400))
            return StoryFixtures.googleClean(day: day, index: offset, successful: 1_600)
        }
    }

    @Test func theFirstFailingReportAfterCleanDaysRaisesOneAlert() throws {
        let store = try TestStore()
        defer { store.remove() }
        #expect(try raise(Self.cleanWeeks(from: "2026-11-08"), store).isEmpty)

        let raised = try raise([Self.microsoftFailing("2026-11-22")], store)
        #expect(raised.count == 1)
        let alert = try #require(raised.first?.alert)
        #expect(alert.kind == .new)
        #expect(alert.identity == ProblemIdentity(rule: "mx-not-in-policy", hosts: ["mail.hoster-cdn.net"], domains: ["example.com"]))
        #expect(alert.severity == .critical)
        #expect(alert.senders == [StoryFixtures.microsoft])
        #expect(alert.resultTypes == ["certificate-host-mismatch": 35])
        #expect(RFC3339Date.day(alert.firstSeen) == "2026-11-22")
        #expect(alert.fix != nil)
        // The problem's days lie before the default period on 2026-12-20: the command names them.
        #expect(alert.command == "tlsrpt summary --domain example.com --from 2026-11-22 --to 2026-11-23")
        #expect(raised[0].deliveries.map(\.channel) == ["command"])
        // Recorded, with its delivery pending.
        let rows = try store.store.alerts()
        #expect(rows.count == 1)
        #expect(rows[0].deliveries.map(\.delivered) == [false])
        #expect(rows[0].deliveries.map(\.finishedAt) == [nil])
    }

    @Test func theSameFailureTheNextDayRaisesNothing() throws {
        let store = try TestStore()
        defer { store.remove() }
        _ = try raise(Self.cleanWeeks(from: "2026-11-08"), store)
        #expect(try raise([Self.microsoftFailing("2026-11-22")], store).count == 1)
        #expect(try raise([Self.microsoftFailing("2026-11-23")], store).isEmpty)
        // Without the record of the first alert, the diagnosis of the days before says the same.
        let touched = try commit([Self.microsoftFailing("2026-11-24")], to: store)
        #expect(try scan.alerts(store: store.store, touched: touched).isEmpty)
        #expect(try store.store.alerts().count == 1)
    }

    @Test func aCleanReportRaisesNothingEvenOnADayWithAnUntoldProblem() throws {
        let store = try TestStore()
        defer { store.remove() }
        // Stored before alerting was configured: nothing was told about it.
        _ = try commit([Self.microsoftFailing("2026-11-22")], to: store)
        let touched = try commit([StoryFixtures.googleClean(day: "2026-11-22", index: 99, successful: 1_600)], to: store)
        #expect(touched.isEmpty)
        #expect(try scan.raise(store: store.store, touched: touched, channels: channels).isEmpty)
    }

    @Test func aSecondSenderOfTheSameDayRaisesNothing() throws {
        let store = try TestStore()
        defer { store.remove() }
        #expect(try raise([Self.microsoftFailing("2026-11-22")], store).count == 1)
        let google = ReportFixture(
            organization: StoryFixtures.google, reportID: "g-2026-11-22", day: "2026-11-22",
            policies: [
                .init(successful: 1_000, failed: 4, failures: [.init(resultType: "certificate-host-mismatch", host: "mail.hoster-cdn.net", count: 4)])
            ])
        #expect(try raise([google], store).isEmpty)
    }

    @Test func aProblemQuietForTheWindowIsNewAgain() throws {
        let store = try TestStore()
        defer { store.remove() }
        #expect(try raise([Self.microsoftFailing("2026-11-01")], store).count == 1)
        // Fifteen clean days from 11-02 to 11-16, then the failure is back on 11-17: quiet for 14 days before it.
        _ = try raise(
            Self.cleanWeeks(from: "2026-11-02", weeks: 2) + [StoryFixtures.googleClean(day: "2026-11-16", index: 77, successful: 1_600)], store)
        let again = try raise([Self.microsoftFailing("2026-11-17")], store)
        #expect(again.map(\.alert.kind) == [.new])
        #expect(try store.store.alerts().count == 2)
    }

    @Test func backWithinTheWindowIsNotNew() throws {
        let store = try TestStore()
        defer { store.remove() }
        #expect(try raise([Self.microsoftFailing("2026-11-01")], store).count == 1)
        // Ten quiet days: still within the 14-day window.
        #expect(try raise([Self.microsoftFailing("2026-11-11")], store).isEmpty)
    }

    @Test func aKnownProblemWhoseRateJumpsRaisesAJumpAlertOnce() throws {
        let store = try TestStore()
        defer { store.remove() }
        // 2 failed of 1,000 sessions a day (0.2%) for ten days: told once, as new.
        let days = (1...10).map { String(format: "2026-11-%02d", $0) }
        #expect(try raise([Self.microsoftFailing(days[0], failed: 2, successful: 998)], store).count == 1)
        for day in days.dropFirst() { #expect(try raise([Self.microsoftFailing(day, failed: 2, successful: 998)], store).isEmpty) }
        // Then 400 of 1,000 (40%): a jump.
        let jump = try raise([Self.microsoftFailing("2026-11-11", failed: 400, successful: 600)], store)
        #expect(jump.map(\.alert.kind) == [.jump])
        let alert = try #require(jump.first?.alert)
        // By hand: 10 days × 2 failed of 1,000 sessions (11-01..11-10) in the window before; 400 of 1,000 now.
        #expect(alert.rateBefore == 20.0 / 10_000)
        #expect(alert.rateNow == 0.4)
        #expect(AlertRenderer.text(alert).contains("Failure rate: 0.2% before, 40.0% now"))
        // The next day as bad: the window before now holds the jump, so nothing more.
        #expect(try raise([Self.microsoftFailing("2026-11-12", failed: 400, successful: 600)], store).isEmpty)
    }

    @Test func aStormOnOneSharedHostIsOneAlertListingItsDomains() throws {
        let store = try TestStore()
        defer { store.remove() }
        let domains = (1...40).map { "customer\($0).example" }
        func reports(_ day: String, _ domains: [String]) -> [ReportFixture] {
            domains.map { domain in
                ReportFixture(
                    organization: StoryFixtures.microsoft, reportID: "ms-\(day)-\(domain)", day: day,
                    policies: [
                        .init(
                            domain: domain, strings: Self.hosted, successful: 50, failed: 10,
                            failures: [.init(resultType: "certificate-expired", host: "mx07.hoster.example", count: 10)])
                    ])
            }
        }
        let raised = try raise(reports("2026-11-22", domains), store)
        #expect(raised.count == 1)
        #expect(raised.first?.alert.domains.count == 40)
        #expect(raised.first?.alert.hosts == ["mx07.hoster.example"])
        #expect(AlertRenderer.subject(try #require(raised.first?.alert)).contains("40 domains on mx07.hoster.example"))
        // The next day the same host also fails a 41st customer: the same problem.
        #expect(try raise(reports("2026-11-23", domains + ["customer41.example"]), store).isEmpty)
    }

    static func microsoftClean(_ day: String) -> ReportFixture {
        ReportFixture(organization: StoryFixtures.microsoft, reportID: "ms-\(day)", day: day, policies: [.init(successful: 160, failed: 0)])
    }

    @Test func twoCleanDaysFromEverySenderThatSawItResolveAProblemOnce() throws {
        let store = try TestStore()
        defer { store.remove() }
        #expect(try raise([Self.microsoftFailing("2026-11-22")], store).count == 1)
        let check = ResolutionCheck()
        // One clean day is not enough.
        _ = try commit([Self.microsoftClean("2026-11-23")], to: store)
        #expect(try check.resolved(store: store.store, open: store.store.openAlerts(), lastDay: Day.date("2026-11-23")).isEmpty)
        _ = try commit([Self.microsoftClean("2026-11-24")], to: store)
        let resolved = try check.resolved(store: store.store, open: store.store.openAlerts(), lastDay: Day.date("2026-11-24"))
        #expect(resolved.count == 1)
        let (row, notice) = try #require(resolved.first)
        #expect(notice.kind == .resolved)
        #expect(notice.identity == ProblemIdentity(rule: "mx-not-in-policy", hosts: ["mail.hoster-cdn.net"], domains: ["example.com"]))
        #expect(notice.quietDays.map(RFC3339Date.day) == ["2026-11-23", "2026-11-24"])
        #expect(AlertRenderer.text(notice).contains("Only successes on 2026-11-23 and 2026-11-24"))
        #expect(AlertRenderer.subject(notice) == "[tlsrpt] resolved for example.com on mail.hoster-cdn.net (mx-not-in-policy)")
        // Recorded once: a second process finds it resolved already.
        let record = NewAlertRow(
            kind: "resolved", rule: notice.identity.rule, hosts: notice.hosts, domains: notice.domains, severity: "critical",
            headline: notice.headline, firstSeen: notice.firstSeen, lastSeen: notice.lastSeen, payload: AlertRenderer.json(notice))
        #expect(try store.store.resolveAlert(row.id, notice: record, channels: channels) != nil)
        #expect(try store.store.resolveAlert(row.id, notice: record, channels: channels) == nil)
        #expect(try store.store.openAlerts().isEmpty)
    }

    @Test func anotherSendersCleanDaysResolveNothing() throws {
        let store = try TestStore()
        defer { store.remove() }
        #expect(try raise([Self.microsoftFailing("2026-11-22")], store).count == 1)
        // Google delivers fine, but Microsoft, who saw the failures, has not reported since.
        _ = try commit(
            [
                StoryFixtures.googleClean(day: "2026-11-23", index: 1, successful: 1_600),
                StoryFixtures.googleClean(day: "2026-11-24", index: 2, successful: 1_600),
            ],
            to: store)
        #expect(try ResolutionCheck().resolved(store: store.store, open: store.store.openAlerts(), lastDay: Day.date("2026-11-24")).isEmpty)
        // Nor do Microsoft's days that still show the failures.
        _ = try commit([Self.microsoftFailing("2026-11-23"), Self.microsoftClean("2026-11-24")], to: store)
        #expect(try ResolutionCheck().resolved(store: store.store, open: store.store.openAlerts(), lastDay: Day.date("2026-11-24")).isEmpty)
    }

    @Test func aResolvedProblemThatComesBackIsToldAgainOnce() throws {
        let store = try TestStore()
        defer { store.remove() }
        #expect(try raise([Self.microsoftFailing("2026-11-22")], store).count == 1)
        _ = try commit([Self.microsoftClean("2026-11-23"), Self.microsoftClean("2026-11-24")], to: store)
        let (row, notice) = try #require(
            try ResolutionCheck().resolved(store: store.store, open: store.store.openAlerts(), lastDay: Day.date("2026-11-24")).first)
        let record = NewAlertRow(
            kind: "resolved", rule: notice.identity.rule, hosts: notice.hosts, domains: notice.domains, severity: "critical",
            headline: notice.headline, firstSeen: notice.firstSeen, lastSeen: notice.lastSeen, payload: AlertRenderer.json(notice))
        _ = try #require(try store.store.resolveAlert(row.id, notice: record, channels: channels))
        // A late report of a day before the quiet days is old news.
        let late = ReportFixture(
            organization: StoryFixtures.google, reportID: "g-late", day: "2026-11-21",
            policies: [
                .init(successful: 900, failed: 3, failures: [.init(resultType: "certificate-host-mismatch", host: "mail.hoster-cdn.net", count: 3)])
            ])
        #expect(try raise([late], store).isEmpty)
        // Back on 11-25: told again, as new, once.
        let back = try raise([Self.microsoftFailing("2026-11-25")], store)
        #expect(back.map(\.alert.kind) == [.new])
        #expect(try raise([Self.microsoftFailing("2026-11-26")], store).isEmpty)
        #expect(try store.store.alerts().sorted { $0.id < $1.id }.map(\.alert.kind) == ["new", "resolved", "new"])
    }
}
