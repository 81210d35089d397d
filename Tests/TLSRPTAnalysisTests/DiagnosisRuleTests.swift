import Foundation
import TLSRPTCore
import TLSRPTStore
import Testing

@testable import TLSRPTAnalysis

/// Each rule with evidence where it must fire and evidence where it must not.
struct DiagnosisRuleTests {
    typealias E = EvidenceFixture

    // MARK: mx-not-in-policy

    @Test func mxOutsidePolicyFires() throws {
        let context = E.context([E.failure(.certificateHostMismatch, host: "mail.hoster-cdn.net", count: 245)])
        let findings = MXNotInPolicyRule().findings(in: context)
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.hosts == ["mail.hoster-cdn.net"])
        #expect(finding.failedSessions == 245)
        #expect(finding.severity == .critical)
        #expect(finding.policyMode == "enforce")
        #expect(finding.cause.contains("mx1.example.com, mx2.example.com"))
        #expect(finding.cause.contains("CNAME"))
        #expect(finding.fixes.contains { $0.contains("mx: mail.hoster-cdn.net") })
        #expect(finding.fixes.contains { $0.contains("certificate") })
        #expect(finding.evidence.contains("Policy mx patterns: mx1.example.com, mx2.example.com"))
    }

    @Test func mxInsidePolicyDoesNotFire() {
        let context = E.context([
            E.failure(.certificateHostMismatch, host: "mx1.example.com"),
            E.failure(.certificateExpired, host: "MX2.example.com"),
        ])
        #expect(MXNotInPolicyRule().findings(in: context).isEmpty)
    }

    @Test(arguments: [
        ("a.example.com", false),
        ("example.com", true),
        ("a.b.example.com", true),
        ("mx.other.net", true),
    ])
    func wildcardCoversExactlyOneLabel(host: String, fires: Bool) {
        let lines = ["version: STSv1", "mode: enforce", "mx: *.example.com", "max_age: 604800"]
        let context = E.context([E.failure(.certificateHostMismatch, host: host, policy: E.policy(lines))], policies: [E.quoted(lines)])
        let findings = MXNotInPolicyRule().findings(in: context)
        #expect(findings.isEmpty == !fires)
        if host == "example.com" { #expect(findings.first?.cause.contains("does not cover the bare name example.com") == true) }
        if host == "a.b.example.com" { #expect(findings.first?.cause.contains("covers exactly one label") == true) }
    }

    @Test func mxRuleUsesTheDomainPolicyWhenTheFailureCameUnderTLSA() {
        let context = E.context([E.failure(.tlsaInvalid, host: "mail.hoster-cdn.net", policyType: "tlsa")])
        #expect(MXNotInPolicyRule().findings(in: context).count == 1)
    }

    @Test func mxRuleNeedsAPolicyWithPatterns() {
        let context = E.context([E.failure(.certificateHostMismatch, host: "mail.hoster-cdn.net", policy: nil)], policies: [])
        #expect(MXNotInPolicyRule().findings(in: context).isEmpty)
    }

    // MARK: certificate-name-missing

    @Test func certificateNameMissingFiresOnACoveredHost() throws {
        let context = E.context([E.failure(.certificateHostMismatch, host: "mx2.example.com", count: 14)])
        let finding = try #require(CertificateNameMissingRule().findings(in: context).first)
        #expect(finding.hosts == ["mx2.example.com"])
        #expect(finding.cause.contains("subjectAltName"))
        #expect(finding.fixes.contains { $0.contains("-connect mx2.example.com:25") })
    }

    @Test func certificateNameMissingStandsAsideForHostsOutsideThePolicy() {
        let context = E.context([
            E.failure(.certificateHostMismatch, host: "mail.hoster-cdn.net"),
            E.failure(.certificateExpired, host: "mx2.example.com"),
        ])
        #expect(CertificateNameMissingRule().findings(in: context).isEmpty)
    }

    // MARK: certificate-expired

    @Test func certificateExpiredNamesHostAndDay() throws {
        let context = E.context([E.failure(.certificateExpired, host: "mx2.example.com", firstSeen: Day.date("2026-11-24"))])
        let finding = try #require(CertificateExpiredRule().findings(in: context).first)
        #expect(finding.headline == "The certificate on mx2.example.com has expired (failures since 2026-11-24)")
        #expect(finding.cause.contains("not renewed"))
    }

    @Test func certificateExpiredIgnoresOtherTypes() {
        #expect(CertificateExpiredRule().findings(in: E.context([E.failure(.certificateNotTrusted, host: "mx1.example.com")])).isEmpty)
    }

    // MARK: certificate-not-trusted

    @Test(
        arguments: [
            ("X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT", "self-signed"),
            ("unable to get local issuer certificate", "incomplete"),
            (nil, "self-signed or from a private CA"),
        ] as [(String?, String)])
    func certificateNotTrustedReadsReasonCodes(reason: String?, expected: String) throws {
        let context = E.context([E.failure(.certificateNotTrusted, host: "mx1.example.com", reason: reason)])
        let finding = try #require(CertificateNotTrustedRule().findings(in: context).first)
        #expect(finding.cause.contains(expected))
    }

    @Test func certificateNotTrustedIgnoresOtherTypes() {
        #expect(CertificateNotTrustedRule().findings(in: E.context([E.failure(.certificateExpired, host: "mx1.example.com")])).isEmpty)
    }

    // MARK: starttls-not-supported

    @Test func startTLSMissingFiresPerHost() {
        let context = E.context([
            E.failure(.starttlsNotSupported, host: "backup.example.com", count: 3),
            E.failure(.starttlsNotSupported, host: "backup.example.com", count: 4, sender: "Google Inc."),
            E.failure(.starttlsNotSupported, host: "mx1.example.com", count: 1),
        ])
        let findings = STARTTLSMissingRule().findings(in: context)
        #expect(findings.map(\.hosts) == [["backup.example.com"], ["mx1.example.com"]])
        #expect(findings.first?.failedSessions == 7)
        #expect(findings.first?.senders.map(\.organization) == ["Google Inc.", "Microsoft Corporation"])
    }

    @Test func startTLSMissingIgnoresOtherTypes() {
        #expect(STARTTLSMissingRule().findings(in: E.context([E.failure(.validationFailure, host: "mx1.example.com")])).isEmpty)
    }

    // MARK: policy host and policy file

    @Test func policyFetchErrorNamesThePolicyURL() throws {
        let context = E.context([E.failure(.stsPolicyFetchError, host: nil, reason: "bad https response code: 404")], policies: [])
        let finding = try #require(PolicyFetchErrorRule().findings(in: context).first)
        #expect(finding.headline.contains("https://mta-sts.example.com/.well-known/mta-sts.txt"))
        #expect(finding.cause.contains("bad https response code: 404"))
        #expect(finding.severity == .warning)
    }

    @Test func policyFetchErrorIgnoresOtherTypes() {
        #expect(PolicyFetchErrorRule().findings(in: E.context([E.failure(.stsWebpkiInvalid, host: nil)])).isEmpty)
    }

    @Test func policyHostCertificateFires() throws {
        let finding = try #require(PolicyHostCertificateRule().findings(in: E.context([E.failure(.stsWebpkiInvalid, host: nil)])).first)
        #expect(finding.headline == "The policy host mta-sts.example.com has a bad HTTPS certificate")
    }

    @Test func policyHostCertificateIgnoresOtherTypes() {
        #expect(PolicyHostCertificateRule().findings(in: E.context([E.failure(.stsPolicyFetchError, host: nil)])).isEmpty)
    }

    @Test func policyInvalidSaysWhatIsWrong() throws {
        let lines = ["version: STSv1", "mode: enforcing", "mx: mx1.example.com"]
        let context = E.context([E.failure(.stsPolicyInvalid, host: nil, policy: E.policy(lines))], policies: [E.quoted(lines)])
        let finding = try #require(PolicyInvalidRule().findings(in: context).first)
        #expect(finding.cause.contains("mode 'enforcing' is not one of enforce, testing, none"))
        #expect(finding.cause.contains("max_age missing"))
        #expect(finding.evidence.first?.contains("\"mode: enforcing\"") == true)
    }

    @Test func policyInvalidStandsAsideForAnMXMismatch() {
        let context = E.context([E.failure(.stsPolicyInvalid, host: "mail.hoster-cdn.net")])
        #expect(PolicyInvalidRule().findings(in: context).isEmpty)
        #expect(MXNotInPolicyRule().findings(in: context).count == 1)
    }

    // MARK: DANE

    @Test func tlsaMismatchFiresAndIsCritical() throws {
        let context = E.context([E.failure(.tlsaInvalid, host: "mx1.example.com", policyType: "tlsa")], policies: [])
        let finding = try #require(TLSAMismatchRule().findings(in: context).first)
        #expect(finding.cause.contains("rotated"))
        #expect(finding.severity == .critical)
    }

    @Test func tlsaMismatchIgnoresOtherTypes() {
        #expect(TLSAMismatchRule().findings(in: E.context([E.failure(.dnssecInvalid, host: "mx1.example.com")])).isEmpty)
    }

    @Test func dnssecFailureFires() {
        #expect(DNSSECFailureRule().findings(in: E.context([E.failure(.dnssecInvalid, host: "mx1.example.com")])).count == 1)
        #expect(DNSSECFailureRule().findings(in: E.context([E.failure(.tlsaInvalid, host: "mx1.example.com")])).isEmpty)
    }

    @Test func daneRequiredNamesTheSender() throws {
        let finding = try #require(DANERequiredRule().findings(in: E.context([E.failure(.daneRequired, host: "mx1.example.com")])).first)
        #expect(finding.headline.hasPrefix("Microsoft Corporation requires DANE"))
        #expect(DANERequiredRule().findings(in: E.context([E.failure(.tlsaInvalid, host: "mx1.example.com")])).isEmpty)
    }

    // MARK: severity from the mode

    @Test func severityFollowsThePolicyMode() {
        let testing = ["version: STSv1", "mode: testing", "mx: mx1.example.com", "max_age: 604800"]
        let underTesting = STARTTLSMissingRule().findings(
            in: E.context([E.failure(.starttlsNotSupported, host: "mx1.example.com", policy: E.policy(testing))], policies: [E.quoted(testing)]))
        let underEnforce = STARTTLSMissingRule().findings(in: E.context([E.failure(.starttlsNotSupported, host: "mx1.example.com")]))
        #expect(underTesting.first?.severity == .warning)
        #expect(underTesting.first?.impact.contains("mail still flows") == true)
        #expect(underEnforce.first?.severity == .critical)
        #expect(underEnforce.first?.impact.contains("deferred, then bounced") == true)
    }

    @Test(arguments: [
        (PolicyModeImpact.Kind.delivery, STSMode.enforce, Finding.Severity.critical),
        (.delivery, .testing, .warning),
        (.delivery, .none, .warning),
        (.dane, .testing, .critical),
        (.policyRetrieval, .enforce, .warning),
        (.unknown, .enforce, .notice),
    ])
    func impactTable(kind: PolicyModeImpact.Kind, mode: STSMode, severity: Finding.Severity) {
        #expect(PolicyModeImpact.assess(kind, mode: mode).severity == severity)
    }

    // MARK: sender-specific

    @Test func senderSpecificFiresWhenOthersSucceed() throws {
        let context = E.context(
            [E.failure(.certificateHostMismatch, host: "mail.hoster-cdn.net")],
            sessions: [
                .init(sender: "Microsoft Corporation", domain: "example.com", successful: 900, failed: 245),
                .init(sender: "Google Inc.", domain: "example.com", successful: 11_200, failed: 0),
            ])
        let finding = try #require(SenderSpecificRule().findings(in: context).first)
        #expect(finding.headline == "Only Microsoft Corporation reports failures on mail.hoster-cdn.net")
        #expect(finding.notes.first?.contains("Google Inc. (11,200 successful sessions)") == true)
    }

    @Test func senderSpecificDoesNotFireWhenSeveralSendersFail() {
        let context = E.context(
            [
                E.failure(.certificateExpired, host: "mx2.example.com"),
                E.failure(.certificateExpired, host: "mx2.example.com", sender: "Google Inc."),
            ],
            sessions: [.init(sender: "Google Inc.", domain: "example.com", successful: 100, failed: 10)])
        #expect(SenderSpecificRule().findings(in: context).isEmpty)
    }

    @Test func senderSpecificDoesNotFireWithoutOtherSuccessfulSenders() {
        let context = E.context(
            [E.failure(.certificateExpired, host: "mx2.example.com")],
            sessions: [.init(sender: "Microsoft Corporation", domain: "example.com", successful: 100, failed: 10)])
        #expect(SenderSpecificRule().findings(in: context).isEmpty)
    }

    @Test func diagnoserFoldsSenderSpecificIntoTheCause() {
        let evidence = DiagnosisEvidence(
            failures: [E.failure(.certificateHostMismatch, host: "mail.hoster-cdn.net", count: 245)], stsPolicies: [E.quoted()],
            sessions: [.init(sender: "Google Inc.", domain: "example.com", successful: 11_200, failed: 0)])
        let findings = Diagnoser().diagnose(evidence)
        #expect(findings.map(\.rule) == ["mx-not-in-policy"])
        #expect(findings.first?.notes.first?.hasPrefix("Only Microsoft Corporation reports this") == true)
    }

    // MARK: unknown types and validation failures

    @Test func unknownTypesAreShownVerbatimWithTheirInformation() throws {
        let context = E.context([E.failure(.unknown("testing"), host: "mx1.example.com", reason: "R42", additional: "https://x.example/info")])
        let finding = try #require(UnknownResultTypeRule().findings(in: context).first)
        #expect(finding.headline.contains("\"testing\""))
        #expect(finding.evidence.contains("Reason code: \"R42\" (10 sessions)"))
        #expect(finding.evidence.contains("Additional information: \"https://x.example/info\" (10 sessions)"))
        #expect(finding.severity == .notice)
    }

    @Test func unknownTypeRuleIgnoresRegisteredTypes() {
        #expect(UnknownResultTypeRule().findings(in: E.context([E.failure(.validationFailure, host: "mx1.example.com")])).isEmpty)
    }

    @Test func validationFailureQuotesTheReason() throws {
        let context = E.context([E.failure(.validationFailure, host: "mx1.example.com", reason: "handshake failure: no shared cipher")])
        let finding = try #require(ValidationFailureRule().findings(in: context).first)
        #expect(finding.cause.contains("no shared cipher"))
        #expect(ValidationFailureRule().findings(in: E.context([E.failure(.certificateExpired, host: "mx1.example.com")])).isEmpty)
    }

    @Test func urlsThatDifferOnlyInTheirQueryAreOneEvidenceLine() throws {
        let base = "https://support.google.com/a/answer/9276511"
        var failures = (0..<40).map { i in
            E.failure(.certificateExpired, host: "mx1.example.com", count: 2, sender: "Google Inc.", additional: "\(base)?id=\(String(i, radix: 16))")
        }
        failures.append(E.failure(.certificateExpired, host: "mx1.example.com", count: 5, additional: "Certificate expired yesterday"))
        let finding = try #require(CertificateExpiredRule().findings(in: E.context(failures)).first)
        let lines = finding.evidence.filter { $0.hasPrefix("Additional information") }
        // 40 failures × 2 sessions, by hand; the free text stays as it was sent.
        #expect(lines == [
            "Additional information: \"\(base)\" (80 sessions, 40 variants of its query)",
            "Additional information: \"Certificate expired yesterday\" (5 sessions)",
        ])
    }

    @Test func aReportEndingAtMidnightWasLastSeenTheDayBefore() {
        // Yahoo's reports end at 00:00:00 of the next day; Google's at 23:59:59 of the same day.
        let yahoo = Finding(
            rule: "x", severity: .warning, domain: "example.com", hosts: [], resultTypes: [:], senders: [], failedSessions: 1,
            firstSeen: Day.date("2026-11-22"), lastSeen: Day.date("2026-11-29"), policyMode: nil, headline: "", cause: "", impact: "", fixes: [])
        #expect(yahoo.lastSeenDay == "2026-11-28")
        var google = yahoo
        google.lastSeen = Day.date("2026-11-28").addingTimeInterval(86_399)
        #expect(google.lastSeenDay == "2026-11-28")
        #expect(google.sinceText == "2026-11-22, last seen 2026-11-28")
    }
}
