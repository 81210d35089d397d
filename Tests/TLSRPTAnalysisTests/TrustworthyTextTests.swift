import Foundation
import TLSRPTCore
import TLSRPTStore
import Testing

@testable import TLSRPTAnalysis

/// Issue #13, "Numbers and words a user can trust": small hand-made reports, each output compared with
/// what a person computes from them.
struct TrustworthyTextTests {
    typealias E = EvidenceFixture

    static let testing = ["version: STSv1", "mode: testing", "mx: mx1.example.com", "mx: mx2.example.com", "max_age: 604800"]
    static let enforce = ReportFixture.enforcePolicy

    func report(_ fixtures: [ReportFixture], _ period: ReportPeriod, now: Date = Day.date("2026-12-31")) throws -> PeriodReport {
        let store = try TestStore()
        defer { store.remove() }
        try store.ingest(fixtures)
        return try PeriodReportBuilder.build(store: store.store, period: period, now: now)
    }

    func starttls(_ count: Int64) -> ReportFixture.Failure {
        .init(resultType: "starttls-not-supported", host: "mx1.example.com", count: count)
    }

    // MARK: the policy in force, latest first

    /// Google quotes testing on 03-01 (20 failures), Microsoft and Google enforce on 03-02 (25 each): the
    /// failures under enforce are the latest, so the finding is critical, whatever order the groups sort in.
    @Test func modeTestingThenEnforceIsCritical() throws {
        let r = try report(
            [
                ReportFixture(
                    organization: "Google Inc.", reportID: "g1", day: "2026-03-01",
                    policies: [.init(strings: Self.testing, successful: 100, failed: 20, failures: [starttls(20)])]),
                ReportFixture(
                    organization: "Google Inc.", reportID: "g2", day: "2026-03-02",
                    policies: [.init(strings: Self.enforce, successful: 100, failed: 25, failures: [starttls(25)])]),
                ReportFixture(
                    organization: "Microsoft Corporation", reportID: "m2", day: "2026-03-02",
                    policies: [.init(strings: Self.enforce, successful: 100, failed: 25, failures: [starttls(25)])]),
            ], .between(from: Day.date("2026-03-01"), to: Day.date("2026-03-03")))
        let finding = try #require(r.findings.first { $0.rule == "starttls-not-supported" })
        #expect(finding.failedSessions == 70)  // 20 + 25 + 25
        #expect(finding.severity == .critical)
        #expect(finding.policyMode == "enforce")
        #expect(finding.impact.contains("deferred, then bounced"))
        // The change is named with its day: testing last quoted on 03-01, the first failure under enforce on 03-02.
        #expect(r.policyChanges.count == 1)
        #expect(r.policyChanges.first?.sentence == "example.com: the MTA-STS policy changed on 2026-03-02: mode testing → enforce.")
        #expect(SummaryTextRenderer.render(r).contains("Policy change: example.com: the MTA-STS policy changed on 2026-03-02: mode testing → enforce."))
        #expect(SummaryMarkdownRenderer.render(r).contains("changed on 2026-03-02"))
        #expect(SummaryHTMLRenderer.render(r).contains("changed on 2026-03-02"))
        #expect(r.policyChanges.first?.when == "on 2026-03-02")
        #expect(SummaryJSONRenderer.render(r).contains("\"on 2026-03-02\""))
        #expect(finding.notes.contains { $0.contains("came under both policies") && $0.contains("mode enforce") })
    }

    @Test func modeEnforceThenTestingIsAWarning() {
        let failures = [
            E.failure(.starttlsNotSupported, host: "mx1.example.com", count: 50, policy: E.policy(Self.enforce),
                firstSeen: Day.date("2026-03-01"), lastSeen: Day.date("2026-03-01")),
            E.failure(.starttlsNotSupported, host: "mx1.example.com", count: 5, sender: "Google Inc.", policy: E.policy(Self.testing),
                firstSeen: Day.date("2026-03-02"), lastSeen: Day.date("2026-03-02")),
        ]
        // Both orders of the groups: no rule may depend on the order rows come from the store.
        for ordered in [failures, failures.reversed()] {
            let context = E.context(ordered, policies: [E.quoted(Self.enforce), E.quoted(Self.testing)])
            let finding = STARTTLSMissingRule().findings(in: context).first
            #expect(finding?.severity == .warning)
            #expect(finding?.policyMode == "testing")
            #expect(finding?.impact.contains("mail still flows") == true)
        }
    }

    @Test func latestQuotedPolicyDoesNotDependOnOrder() {
        var old = E.quoted(Self.enforce)
        old.lastSeen = Day.date("2026-03-01")
        var new = E.quoted(Self.testing)
        new.lastSeen = Day.date("2026-03-02")
        for order in [[old, new], [new, old]] {
            #expect(E.context([], policies: order).mode(for: "example.com") == .testing)
        }
    }

    // MARK: impact by policy type

    @Test func failuresUnderDANEAreCritical() throws {
        let context = E.context([E.failure(.starttlsNotSupported, host: "mx1.example.com", policyType: "tlsa")], policies: [])
        let finding = try #require(STARTTLSMissingRule().findings(in: context).first)
        #expect(finding.severity == .critical)
        #expect(finding.impact.contains("DANE"))
        #expect(!finding.impact.contains("No usable MTA-STS policy"))
        #expect(finding.policyType == "tlsa")
        #expect(finding.policyMode == nil)
    }

    @Test func tlsaInvalidCarriesNoMTASTSMode() throws {
        // The domain's MTA-STS policy is in enforce, but a TLSA mismatch is judged by DANE.
        let context = E.context([E.failure(.tlsaInvalid, host: "mx1.example.com", policyType: "tlsa")])
        let finding = try #require(TLSAMismatchRule().findings(in: context).first)
        #expect(finding.policyMode == nil)
        #expect(finding.severity == .critical)
        let json = SummaryJSONRenderer.finding(finding).serialized(pretty: false)
        #expect(json.contains("\"policy_mode\":null"))
        #expect(json.contains("\"policy_type\":\"tlsa\""))
    }

    /// Yahoo found no policy; Google quoted enforce. Yahoo's failures do not stop mail.
    @Test func noPolicyFoundIsNotUndeliverableBecauseAnotherSenderQuotedEnforce() throws {
        let context = E.context(
            [E.failure(.certificateExpired, host: "mx1.example.com", sender: "Yahoo", policyType: "no-policy-found", policy: nil)],
            policies: [E.quoted(Self.enforce)])
        let finding = try #require(CertificateExpiredRule().findings(in: context).first)
        #expect(finding.severity == .warning)
        #expect(finding.impact.contains("no MTA-STS or DANE policy"))
        #expect(finding.policyMode == nil)
    }

    // MARK: MX host as policy domain

    @Test func mxHostPolicyDomainIsAttributed() throws {
        let r = try report(
            [
                ReportFixture(organization: "Google Inc.", reportID: "g1", day: "2026-03-01", policies: [.init(successful: 100, failed: 0)]),
                ReportFixture(
                    organization: "Google Inc.", reportID: "g2", day: "2026-03-01",
                    policies: [
                        .init(
                            type: "tlsa", domain: "mx1.example.com", strings: [], successful: 10, failed: 3,
                            failures: [.init(resultType: "tlsa-invalid", host: "mx1.example.com", count: 3)])
                    ]),
            ], .between(from: Day.date("2026-03-01"), to: Day.date("2026-03-02")))
        #expect(r.mxHostOwners == ["mx1.example.com": ["example.com"]])
        #expect(r.domainLabel("mx1.example.com") == "mx1.example.com (MX host of example.com)")
        #expect(SummaryMarkdownRenderer.render(r).contains("mx1.example.com (MX host of example.com)"))
        #expect(SummaryHTMLRenderer.render(r).contains("mx1.example.com (MX host of example.com)"))
        #expect(SummaryTextRenderer.render(r).contains("mx1.example.com (MX host of example.com)"))
        let finding = try #require(r.findings.first { $0.rule == "tlsa-invalid" })
        #expect(finding.notes.contains { $0.hasPrefix("mx1.example.com is an MX host of example.com") })
    }

    // MARK: senders that differ in case

    @Test func senderCaseVariantsAreOneSender() throws {
        let r = try report(
            [
                ReportFixture(organization: "Google Inc.", reportID: "a", day: "2026-03-01", policies: [.init(successful: 100, failed: 0)]),
                ReportFixture(
                    organization: "google inc.", reportID: "b", day: "2026-03-02",
                    policies: [.init(successful: 50, failed: 2, failures: [starttls(2)])]),
            ], .between(from: Day.date("2026-03-01"), to: Day.date("2026-03-03")))
        #expect(r.summary.senders.map(\.key) == ["Google Inc."])
        #expect(r.summary.senders.first?.reports == 2)
        #expect(r.summary.senders.first?.totalSessions == 152)  // 100 + 50 + 2
        #expect(r.findings.first?.senders.map(\.organization) == ["Google Inc."])
        #expect(SummaryCSVRenderer.render(r).components(separatedBy: "\n").filter { $0.contains("oogle") }.count == 1)
    }

    // MARK: words and numbers

    @Test(arguments: [
        (0.0, "0.0%"), (1.0, "100.0%"), (19_999.0 / 20_000, ">99.9%"), (1.0 / 20_000, "<0.1%"), (0.0004, "<0.1%"),
        (0.999, "99.9%"), (0.001, "0.1%"), (0.025, "2.5%"),
    ])
    func percentNeverRoundsAcrossTheEnds(fraction: Double, text: String) {
        #expect(NumberFormat.percent(fraction) == text)
    }

    @Test(arguments: [(0.0, "no change"), (-0.01, "-<0.1 points"), (0.01, "+<0.1 points"), (-0.04999, "-<0.1 points"), (1.25, "+1.2 points"), (-2.0, "-2.0 points")])
    func pointsNeverReadMinusZero(change: Double, text: String) {
        #expect(NumberFormat.points(change) == text)
    }

    @Test func oneFailedSessionIsSingularInEveryFormat() throws {
        let r = try report(
            [
                ReportFixture(
                    organization: "Google Inc.", reportID: "a", day: "2026-03-01",
                    policies: [.init(successful: 19_999, failed: 1, failures: [starttls(1)])])
            ], .between(from: Day.date("2026-03-01"), to: Day.date("2026-03-02")))
        for text in [SummaryTextRenderer.render(r), SummaryMarkdownRenderer.render(r), SummaryHTMLRenderer.render(r)] {
            #expect(text.contains("1 failed session "))
            #expect(!text.contains("1 failed sessions"))
            #expect(text.contains("1 report from 1 sender."))
            #expect(!text.contains("100.0%"))
            #expect(text.contains("<0.1%") || text.contains("&lt;0.1%"))
        }
        #expect(r.verdict.hasPrefix("example.com: 1 of 20,000 sessions failed (<0.1%)"))
    }

    @Test func almostAllFailedIsNotAHundredPercent() throws {
        let r = try report(
            [
                ReportFixture(
                    organization: "Google Inc.", reportID: "a", day: "2026-03-01",
                    policies: [.init(successful: 1, failed: 19_999, failures: [starttls(19_999)])])
            ], .between(from: Day.date("2026-03-01"), to: Day.date("2026-03-02")))
        #expect(r.verdict.hasPrefix("example.com: 19,999 of 20,000 sessions failed (>99.9%)"))
        for text in [SummaryTextRenderer.render(r), SummaryMarkdownRenderer.render(r)] {
            #expect(!text.contains("100.0%"))
            #expect(text.contains(">99.9%") || text.contains("\\>99.9%"))
        }
        // In HTML, 100.0% is only the rate axis's top label; the tables say >99.9%.
        #expect(SummaryHTMLRenderer.render(r).contains("<td class=\"n\">&gt;99.9%</td>"))
    }

    @Test func noSessionsIsNotAllZeroSucceeded() throws {
        let r = try report(
            [ReportFixture(organization: "Google Inc.", reportID: "a", day: "2026-03-01", policies: [.init(successful: 0, failed: 0)])],
            .between(from: Day.date("2026-03-01"), to: Day.date("2026-03-02")))
        #expect(r.verdict == "example.com: no sessions reported in 1 report")
    }

    @Test func noHostNamedLeavesNoPlaceholderWords() throws {
        let context = E.context([
            E.failure(.validationFailure, host: nil), E.failure(.certificateHostMismatch, host: nil), E.failure(.tlsaInvalid, host: nil),
            E.failure(.starttlsNotSupported, host: nil),
        ])
        let findings = Diagnoser().diagnose(context.evidence)
        #expect(findings.count == 4)
        let r = PeriodReport(
            summary: Summary(
                from: Day.date("2026-03-01"), to: Day.date("2026-03-02"), reports: 1, successfulSessions: 0, failedSessions: 40,
                resultTypes: [:], senders: [], policyDomains: [], mxHosts: []),
            findings: findings, trend: nil, daily: [], cells: SummaryCells())
        for text in [SummaryTextRenderer.render(r), SummaryMarkdownRenderer.render(r), SummaryHTMLRenderer.render(r), SummaryJSONRenderer.render(r)] {
            #expect(!text.contains("HOST"))
            #expect(!text.contains("DOMAIN"))
            #expect(!text.contains("did not name does not cover"))
            #expect(!text.contains("_25._tcp.an MX"))
        }
        let name = try #require(findings.first { $0.rule == "certificate-name-missing" })
        #expect(name.headline == "The certificate on an MX host the reports do not name does not cover the name senders connect to")
        let validation = try #require(findings.first { $0.rule == "validation-failure" })
        #expect(validation.fixes.contains { $0.contains("testssl.sh --starttls smtp <MX host>:25") })
        #expect(validation.fixes.first?.contains("every MX host of example.com") == true)
        #expect(findings.contains { $0.headline == "An MX host the reports do not name does not offer STARTTLS" })
    }

    // MARK: the HTML chart shows days without reports

    @Test func htmlChartShowsAnEmptyDay() throws {
        let r = try report(
            [
                ReportFixture(organization: "Google Inc.", reportID: "a", day: "2026-03-01", policies: [.init(successful: 10, failed: 0)]),
                ReportFixture(organization: "Google Inc.", reportID: "c", day: "2026-03-03", policies: [.init(successful: 10, failed: 0)]),
            ], .between(from: Day.date("2026-03-01"), to: Day.date("2026-03-04")))
        let html = SummaryHTMLRenderer.render(r)
        #expect(html.contains("<title>2026-03-01: 10 successful, 0 failed</title>"))
        #expect(html.contains("<title>2026-03-02: no sessions reported</title>"))
        #expect(html.contains("<title>2026-03-03: 10 successful, 0 failed</title>"))
        // The rate line breaks at the gap: two segments of one point each.
        #expect(html.components(separatedBy: "<polyline").count - 1 == 2)
    }

    // MARK: periods in whole UTC days

    /// Monday 2026-03-09 07:00Z: `--since 7d` holds Monday 03-02 to Sunday 03-08, plus today so far.
    static let mondayMorning = RFC3339Date.parse("2026-03-09T07:00:00Z")!.date

    @Test func sinceSevenDaysIsSevenWholeUTCDays() throws {
        let period = try #require(ReportPeriod.parse(since: "7d"))
        #expect(period == .days(7))
        let bounds = period.bounds(now: Self.mondayMorning)
        #expect(bounds.from == Day.date("2026-03-02"))
        #expect(bounds.to == Self.mondayMorning)
        let previous = try #require(period.previousBounds(now: Self.mondayMorning))
        #expect(previous.from == Day.date("2026-02-23"))
        #expect(previous.to == Day.date("2026-03-02"))
        #expect(PeriodReport.days(from: bounds.from, to: bounds.to) == "2026-03-02 to 2026-03-08, and 2026-03-09 until 07:00Z")
    }

    @Test func sinceInHoursIsExactAndWeeksAreDays() {
        #expect(ReportPeriod.parse(since: "36h") == .since(seconds: 129_600))
        #expect(ReportPeriod.parse(since: "2w") == .days(14))
        #expect(ReportPeriod.parse(since: "3") == .days(3))
        let bounds = ReportPeriod.since(seconds: 129_600).bounds(now: Self.mondayMorning)
        #expect(bounds.from == RFC3339Date.parse("2026-03-07T19:00:00Z")!.date)
        #expect(PeriodReport.days(from: bounds.from, to: bounds.to) == "2026-03-07 19:00Z to 2026-03-09 07:00Z")
    }

    @Test func boundsAreWholeSecondsAsStoredStartsAre() {
        let from = RFC3339Date.parse("2026-03-01T00:00:00.5Z")!.date
        let to = RFC3339Date.parse("2026-03-02T00:00:00.9Z")!.date
        let bounds = ReportPeriod.between(from: from, to: to).bounds(now: to)
        #expect(bounds.from == Day.date("2026-03-01"))
        #expect(bounds.to == Day.date("2026-03-02"))
    }

    /// Daily reports 03-01 to 03-08 are stored (03-09's cannot have arrived at 07:00): the period holds the
    /// seven of 03-02 to 03-08, and the trend compares with the one of 03-01 in the seven days before.
    @Test func mondayCronRunHoldsExactlySevenReportDays() throws {
        let days = ReportFixture.week(from: "2026-03-02") + ["2026-03-01"]
        let fixtures = days.map { day in
            ReportFixture(organization: "Google Inc.", reportID: "g-\(day)", day: day, policies: [.init(successful: 100, failed: 0)])
        }
        let r = try report(fixtures, .days(7), now: Self.mondayMorning)
        #expect(r.summary.reports == 7)
        #expect(r.summary.successfulSessions == 700)
        #expect(r.trend?.previousReports == 1)
        #expect(SummaryTextRenderer.render(r).contains("Period 2026-03-02 to 2026-03-08, and 2026-03-09 until 07:00Z, 7 reports from 1 sender."))
    }
}
