import Foundation
import TLSRPTCore
import TLSRPTStore
import Testing

@testable import TLSRPTAnalysis

/// A finding is identified by its cause, not by its domain: one broken shared MX host or one shared policy
/// host is one problem listing its domains; a domain's own fault stays its own finding.
struct SharedCauseTests {
    typealias E = EvidenceFixture

    static let hosted = ["version: STSv1", "mode: enforce", "mx: *.hoster.example", "max_age: 604800"]
    static let hostedTesting = ["version: STSv1", "mode: testing", "mx: *.hoster.example", "max_age: 604800"]

    /// Failures of `type` on `host` for each domain (10 sessions each from Microsoft, 3 from Google), each
    /// domain quoting `policy`.
    static func evidence(
        _ type: ResultType, host: String?, domains: [String], policy: [String] = hosted, testing: Set<String> = [], reason: String? = nil,
        firstSeen: Date = E.first
    ) -> DiagnosisEvidence {
        var failures: [DiagnosisEvidence.FailureGroup] = []
        var policies: [DiagnosisEvidence.QuotedSTSPolicy] = []
        for domain in domains {
            let lines = testing.contains(domain) ? hostedTesting : policy
            for (sender, count) in [("Microsoft Corporation", Int64(10)), ("Google Inc.", Int64(3))] {
                failures.append(
                    E.failure(type, host: host, count: count, sender: sender, domain: domain, policy: E.policy(lines), reason: reason, firstSeen: firstSeen))
            }
            policies.append(E.quoted(lines, domain: domain))
        }
        return DiagnosisEvidence(failures: failures, stsPolicies: policies, sessions: [])
    }

    @Test func oneExpiredSharedHostIsOneFindingListingItsDomains() throws {
        let domains = ["b.example", "a.example", "c.example"]
        let findings = Diagnoser().diagnose(Self.evidence(.certificateExpired, host: "mx07.hoster.example", domains: domains))
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.rule == "certificate-expired")
        #expect(finding.domains == ["a.example", "b.example", "c.example"])
        #expect(finding.domain == nil)
        #expect(finding.hosts == ["mx07.hoster.example"])
        // 3 domains × (10 + 3) sessions, by hand.
        #expect(finding.failedSessions == 39)
        #expect(finding.senders.map(\.failedSessions) == [30, 9])
        #expect(finding.headline.hasPrefix("The certificate on mx07.hoster.example has expired"))
        #expect(finding.domainsText == "3 domains: a.example, b.example, c.example")
        #expect(finding.severity == .critical)
    }

    @Test func theMostSevereModeStandsAndTheMixIsSaid() throws {
        let findings = Diagnoser().diagnose(
            Self.evidence(.certificateExpired, host: "mx07.hoster.example", domains: ["a.example", "b.example", "c.example"], testing: ["b.example", "c.example"]))
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.severity == .critical)
        #expect(finding.policyMode == "enforce")
        #expect(finding.notes.contains("MTA-STS mode: testing for 2 domains, enforce for 1 domain."))
    }

    @Test func aFindingOfOneDomainStaysWordedForIt() throws {
        let findings = Diagnoser().diagnose(Self.evidence(.certificateExpired, host: "mx07.hoster.example", domains: ["a.example"]))
        let finding = try #require(findings.first)
        #expect(finding.domains == ["a.example"])
        #expect(finding.domain == "a.example")
        #expect(finding.domainsText == nil)
    }

    @Test func failuresNamingNoHostStayPerDomain() {
        let findings = Diagnoser().diagnose(Self.evidence(.certificateExpired, host: nil, domains: ["a.example", "b.example"]))
        #expect(findings.map(\.domains) == [["a.example"], ["b.example"]])
    }

    @Test func eachHostOfASharedFaultIsItsOwnFinding() {
        var evidence = Self.evidence(.starttlsNotSupported, host: "mx01.hoster.example", domains: ["a.example", "b.example"])
        evidence.failures += Self.evidence(.starttlsNotSupported, host: "mx02.hoster.example", domains: ["c.example"]).failures
        evidence.stsPolicies += Self.evidence(.starttlsNotSupported, host: "mx02.hoster.example", domains: ["c.example"]).stsPolicies
        let findings = Diagnoser().diagnose(evidence)
        #expect(findings.map(\.hosts) == [["mx01.hoster.example"], ["mx02.hoster.example"]])
        #expect(findings.map(\.domains) == [["a.example", "b.example"], ["c.example"]])
    }

    /// Each domain's own policy leaves out the CNAME target: each domain has its own change to make.
    @Test func aDomainsOwnPolicyGapStaysItsOwnFinding() {
        let own = ["version: STSv1", "mode: enforce", "mx: mx1.own.example", "max_age: 604800"]
        let findings = Diagnoser().diagnose(
            Self.evidence(.certificateHostMismatch, host: "mail.hoster-cdn.net", domains: ["a.example", "b.example"], policy: own))
        #expect(findings.map(\.rule) == ["mx-not-in-policy", "mx-not-in-policy"])
        #expect(findings.map(\.domains) == [["a.example"], ["b.example"]])
        #expect(findings.allSatisfy { $0.headline.contains("policy of \($0.domains[0])") })
    }

    @Test func onePolicyHostFailingForManyDomainsIsOneFinding() throws {
        let shared = (1...4).map { "customer\($0).example" }
        var evidence = Self.evidence(.stsWebpkiInvalid, host: nil, domains: shared, reason: "certificate has expired")
        // Its own certificate problem, on another day: not part of the shared one.
        let own = Self.evidence(
            .stsWebpkiInvalid, host: nil, domains: ["own.example"], reason: "certificate has expired", firstSeen: E.first.addingTimeInterval(-3 * 86_400))
        evidence.failures += own.failures
        evidence.stsPolicies += own.stsPolicies
        let findings = Diagnoser().diagnose(evidence)
        #expect(findings.count == 2)
        let sharedFinding = try #require(findings.first { $0.domains.count > 1 })
        #expect(sharedFinding.rule == "sts-webpki-invalid")
        #expect(sharedFinding.domains == shared)
        #expect(sharedFinding.failedSessions == 52)
        #expect(sharedFinding.headline == "The policy hosts of 4 domains have bad HTTPS certificates (since 2026-11-22): likely one shared policy host")
        #expect(
            sharedFinding.cause
                == "The same certificate failure began on 2026-11-22 for 4 domains (senders say: \"certificate has expired\"): their policy "
                + "hosts mta-sts.<domain> are most likely one web server (a provider's) whose certificate has expired, does not name every "
                + "mta-sts.<domain>, or lacks its intermediates.")
        #expect(sharedFinding.fixes.first?.contains("dig +short mta-sts.customer1.example mta-sts.customer2.example mta-sts.customer3.example") == true)
        #expect(!sharedFinding.fixes.joined().contains("own.example"))
        let ownFinding = try #require(findings.first { $0.domains == ["own.example"] })
        #expect(ownFinding.headline.contains("mta-sts.own.example"))
    }

    @Test func oneUnreachablePolicyHostIsOneFinding() throws {
        let domains = ["a.example", "b.example", "c.example"]
        let findings = Diagnoser().diagnose(Self.evidence(.stsPolicyFetchError, host: nil, domains: domains, reason: "connection refused"))
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.domains == domains)
        #expect(finding.headline == "Senders cannot fetch the MTA-STS policies of 3 domains (since 2026-11-22): likely one shared policy host")
        #expect(
            finding.cause
                == "The same failure began on 2026-11-22 for 3 domains (senders say: \"connection refused\"): their policy hosts "
                + "mta-sts.<domain> are most likely one web server (a provider's), which is unreachable or does not serve "
                + "/.well-known/mta-sts.txt with status 200.")
    }

    @Test func policyHostFailuresWithDifferentReasonsStayApart() {
        var evidence = DiagnosisEvidence(failures: [], stsPolicies: [], sessions: [])
        for (index, domain) in ["a.example", "b.example", "c.example"].enumerated() {
            let part = Self.evidence(.stsPolicyFetchError, host: nil, domains: [domain], reason: "reason \(index)")
            evidence.failures += part.failures
            evidence.stsPolicies += part.stsPolicies
        }
        let findings = Diagnoser().diagnose(evidence)
        #expect(findings.map(\.domains).sorted { $0[0] < $1[0] } == [["a.example"], ["b.example"], ["c.example"]])
    }

    @Test func twoDomainsFailingAlikeAreNotYetAPattern() {
        let findings = Diagnoser().diagnose(
            Self.evidence(.stsPolicyFetchError, host: nil, domains: ["a.example", "b.example"], reason: "connection refused"))
        #expect(findings.map(\.domains).sorted { $0[0] < $1[0] } == [["a.example"], ["b.example"]])
    }

    /// "Only Microsoft sees it" folds into the shared finding once, naming no domain.
    @Test func aSenderSpecificRemarkFoldsIntoASharedFindingOnce() throws {
        let domains = ["a.example", "b.example"]
        var failures: [DiagnosisEvidence.FailureGroup] = []
        var sessions: [DiagnosisEvidence.SenderSessions] = []
        for domain in domains {
            failures.append(E.failure(.certificateNotTrusted, host: "mx07.hoster.example", domain: domain, policy: E.policy(Self.hosted)))
            sessions.append(.init(sender: "Google Inc.", domain: domain, successful: 500, failed: 0))
        }
        let findings = Diagnoser().diagnose(
            DiagnosisEvidence(failures: failures, stsPolicies: domains.map { E.quoted(Self.hosted, domain: $0) }, sessions: sessions))
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.domains == domains)
        #expect(finding.notes == [Diagnoser.onlySenderNote("Microsoft Corporation")])
    }

    @Test func criticalProblemsComeBeforeLargerWarnings() {
        var evidence = Self.evidence(.starttlsNotSupported, host: "mx01.hoster.example", domains: ["a.example"])
        // Many more failures, but under testing: mail still flows.
        let testing = Self.evidence(.certificateExpired, host: "mx02.hoster.example", domains: ["t.example"], testing: ["t.example"])
        for i in testing.failures.indices { evidence.failures.append(testing.failures[i]) }
        evidence.failures[evidence.failures.count - 1].failed = 5_000
        evidence.failures[evidence.failures.count - 1].countedFailed = 5_000
        evidence.stsPolicies += testing.stsPolicies
        let findings = Diagnoser().diagnose(evidence)
        #expect(findings.map(\.severity) == [.critical, .warning])
        #expect(findings.map(\.hosts) == [["mx01.hoster.example"], ["mx02.hoster.example"]])
    }

    @Test func theJSONCarriesTheDomains() throws {
        let findings = Diagnoser().diagnose(Self.evidence(.certificateExpired, host: "mx07.hoster.example", domains: ["b.example", "a.example"]))
        let json = SummaryJSONRenderer.finding(try #require(findings.first))
        guard case .object(let object) = json else { Issue.record("not an object"); return }
        #expect(object["domains"] == .array([.string("a.example"), .string("b.example")]))
        #expect(object["domain"] == .null)
    }
}
