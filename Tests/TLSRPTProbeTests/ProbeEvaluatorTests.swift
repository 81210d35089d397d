import Foundation
import TLSRPTCore
import TLSRPTProbe
import Testing

/// The checks the evaluator draws from hand-built facts, one scenario of issue #18 each.
struct ProbeEvaluatorTests {
    let evaluator = ProbeEvaluator(now: ProbeScenarios.now)

    func check(_ checks: [ProbeCheck], _ name: ProbeCheck.Name, host: String) throws -> ProbeCheck {
        try #require(checks.first { $0.name == name.rawValue && $0.host == host }, "no \(name.rawValue) check on \(host) in \(checks)")
    }

    @Test func theSeedStoryNamesTheAliasThePolicyGapAndTheCertificateGap() throws {
        let checks = evaluator.checks(ProbeScenarios.seed)
        let alias = try check(checks, .mxAlias, host: "mx1.example.com")
        #expect(!alias.ok && alias.detail.hasPrefix("mx1.example.com is an alias of mail.hoster-cdn.net"))
        let policy = try check(checks, .policyMX, host: "mx1.example.com")
        #expect(!policy.ok)
        #expect(policy.detail.hasPrefix("mx1.example.com is an alias of mail.hoster-cdn.net; the policy does not list mail.hoster-cdn.net"))
        let names = try check(checks, .certificateNames, host: "mx1.example.com")
        #expect(!names.ok)
        #expect(names.detail.contains("the certificate there (on mail.hoster-cdn.net) does not cover mx1.example.com"))
        #expect(names.fix?.contains("subjectAltName") == true)
        // mx2 is fine throughout.
        #expect(checks.filter { $0.host == "mx2.example.com" }.allSatisfy { $0.ok })
        #expect(checks.filter { !$0.ok }.count == 3)
        // Failures first.
        #expect(ProbeEvaluator.ordered(checks).prefix(3).allSatisfy { !$0.ok })
    }

    @Test func theFixedSetUpPassesEveryCheck() {
        let checks = evaluator.checks(ProbeScenarios.fixed)
        #expect(checks.allSatisfy { $0.ok }, "\(checks.filter { !$0.ok })")
        #expect(checks.contains { $0.name == "policy-mx" && $0.host == "mx1.example.com" && $0.ok })
    }

    @Test func anExpiredCertificateSaysHowManyDaysAgo() throws {
        var facts = ProbeScenarios.fixed
        facts.connections[1].outcome = .certificate(ProbeScenarios.certificate(["mx2.example.com"], daysLeft: -3.5))
        let expiry = try check(evaluator.checks(facts), .certificateExpiry, host: "mx2.example.com")
        #expect(!expiry.ok)
        #expect(expiry.detail.contains("expired on 2026-11-28, 3 days ago"))
        #expect(expiry.fix?.contains("Renew the certificate") == true)
    }

    @Test func aValidCertificateSaysHowManyDaysAreLeft() throws {
        let expiry = try check(evaluator.checks(ProbeScenarios.fixed), .certificateExpiry, host: "mx2.example.com")
        #expect(expiry.ok && expiry.detail.contains("60 days left"))
    }

    @Test func anUntrustedChainFails() throws {
        var facts = ProbeScenarios.fixed
        facts.connections[1].outcome = .certificate(ProbeScenarios.certificate(["mx2.example.com"], trusted: false))
        let trust = try check(evaluator.checks(facts), .certificateTrusted, host: "mx2.example.com")
        #expect(!trust.ok && trust.detail.contains("not trusted"))
    }

    @Test func noSTARTTLSFails() throws {
        var facts = ProbeScenarios.fixed
        facts.connections[1].outcome = .noSTARTTLS
        let checks = evaluator.checks(facts)
        let starttls = try check(checks, .starttls, host: "mx2.example.com")
        #expect(!starttls.ok && starttls.detail.contains("does not offer STARTTLS"))
        #expect(!checks.contains { $0.name == "certificate-names" && $0.host == "mx2.example.com" })
    }

    @Test func aPolicyAnswering404Fails() throws {
        var facts = ProbeScenarios.fixed
        facts.policy = .response(PolicyResponse(status: 404, contentType: "text/html", body: "not found"))
        let checks = evaluator.checks(facts)
        let fetch = try check(checks, .policyFetch, host: "mta-sts.example.com")
        #expect(!fetch.ok && fetch.detail.contains("HTTP 404"))
        #expect(fetch.fix?.contains("curl -v https://mta-sts.example.com/.well-known/mta-sts.txt") == true)
        #expect(!checks.contains { $0.name == "policy-mx" })
    }

    @Test func aRedirectIsNotFollowed() throws {
        var facts = ProbeScenarios.fixed
        facts.policy = .response(PolicyResponse(status: 301, contentType: "text/html", location: "https://www.example.com/mta-sts.txt", body: ""))
        let fetch = try check(evaluator.checks(facts), .policyFetch, host: "mta-sts.example.com")
        #expect(!fetch.ok && fetch.detail.contains("301, a redirect to https://www.example.com/mta-sts.txt"))
    }

    @Test func aWrongContentTypeFails() throws {
        var facts = ProbeScenarios.fixed
        facts.policy = .response(PolicyResponse(status: 200, contentType: "text/html", body: ProbeScenarios.policyText))
        let fetch = try check(evaluator.checks(facts), .policyFetch, host: "mta-sts.example.com")
        #expect(!fetch.ok && fetch.detail.contains("served as text/html, not text/plain"))
    }

    @Test func anOversizedPolicyFails() throws {
        var facts = ProbeScenarios.fixed
        facts.policy = .response(PolicyResponse(status: 200, contentType: "text/plain", body: nil))
        #expect(try !check(evaluator.checks(facts), .policyFetch, host: "mta-sts.example.com").ok)
    }

    @Test func aCertificateErrorOnThePolicyHostGivesTheWebPKIFix() throws {
        var facts = ProbeScenarios.fixed
        facts.policy = .failed(PolicyFetchFailure(kind: .certificate, message: "TLS handshake failed"))
        let fetch = try check(evaluator.checks(facts), .policyFetch, host: "mta-sts.example.com")
        #expect(!fetch.ok && fetch.fix?.contains("whose names include mta-sts.example.com") == true)
    }

    @Test func aPolicyWithProblemsFailsItsSyntaxCheck() throws {
        var facts = ProbeScenarios.fixed
        facts.policy = .response(
            PolicyResponse(status: 200, contentType: "text/plain", body: "version: STSv1\nmode: enforce\nmx: mx1.example.com\nmx: mx2.example.com\n"))
        let syntax = try check(evaluator.checks(facts), .policySyntax, host: "mta-sts.example.com")
        #expect(!syntax.ok && syntax.detail.contains("max_age missing"))
    }

    @Test func twoSTSRecordsFail() throws {
        var facts = ProbeScenarios.fixed
        facts.stsRecords = .answer(["v=STSv1; id=1", "v=STSv1; id=2"])
        let record = try check(evaluator.checks(facts), .stsRecord, host: "_mta-sts.example.com")
        #expect(!record.ok && record.detail.contains("2 TXT records start with v=STSv1"))
    }

    @Test func aMalformedRUAFails() throws {
        var facts = ProbeScenarios.fixed
        facts.tlsrptRecords = .answer(["v=TLSRPTv1; rua=mailto:tlsrpt@example.com,ftp://reports.example.com"])
        let record = try check(evaluator.checks(facts), .tlsrptRecord, host: "_smtp._tls.example.com")
        #expect(!record.ok && record.detail.contains("'ftp://reports.example.com'"))
    }

    @Test func tlsaRecordsAreMatchedAgainstTheServedCertificate() throws {
        var facts = ProbeScenarios.fixed
        guard case .answer(var records) = facts.mx else { return }
        let digest = String(repeating: "AB", count: 32)
        records[1].tlsa = [TLSARecord(usage: 3, selector: 1, matchingType: 1, data: digest)]
        facts.mx = .answer(records)
        var certificate = ProbeScenarios.certificate(["mx2.example.com"])
        certificate.associations = [TLSAAssociations(certificate: ["00", "11", "22"], publicKey: ["33", digest, "44"])]
        facts.connections[1].outcome = .certificate(certificate)
        let checks = evaluator.checks(facts)
        #expect(try check(checks, .tlsa, host: "mx2.example.com").ok)
        // dnsmasq and most stub set-ups do not validate: no AD bit, and DANE senders ignore the records.
        #expect(try !check(checks, .tlsaDNSSEC, host: "mx2.example.com").ok)

        certificate.associations = [TLSAAssociations(certificate: ["00", "11", "22"], publicKey: ["33", "55", "44"])]
        facts.connections[1].outcome = .certificate(certificate)
        #expect(try !check(evaluator.checks(facts), .tlsa, host: "mx2.example.com").ok)
    }

    @Test func noMXRecordsFail() throws {
        var facts = ProbeScenarios.fixed
        facts.mx = .answer([])
        facts.connections = []
        #expect(try !check(evaluator.checks(facts), .mx, host: "example.com").ok)
    }
}
