import Foundation
import NIOCore
import TLSRPTProbe
import TLSRPTProbeNetwork
import Testing

/// The probe against real servers on loopback (dnsmasq, STARTTLS SMTP, HTTPS), one scenario of issue #18
/// each. Serialized: the scenarios share the loopback addresses 127.0.0.2–4.
@Suite(.serialized, .disabled(if: LoopbackWorld.toolsAbsent != nil, LoopbackWorld.toolsAbsent ?? ""))
struct LoopbackProbeTests {
    func run(_ setup: LoopbackWorld.Setup) async throws -> [ProbeCheck] {
        let world = try LoopbackWorld()
        try world.start(setup)
        defer { world.stop() }
        return try await world.probe().checks
    }

    func check(_ checks: [ProbeCheck], _ name: String, _ host: String) throws -> ProbeCheck {
        try #require(checks.first { $0.name == name && $0.host == host }, "no \(name) on \(host) in \(checks)")
    }

    @Test func theSeedStoryIsNamed() async throws {
        let checks = try await run(LoopbackWorld.Setup(mx1IsAlias: true))
        let alias = try check(checks, "mx-alias", "mx1.example.com")
        #expect(!alias.ok && alias.detail.hasPrefix("mx1.example.com is an alias of mail.hoster-cdn.net"))
        let policy = try check(checks, "policy-mx", "mx1.example.com")
        #expect(!policy.ok)
        #expect(policy.detail.hasPrefix("mx1.example.com is an alias of mail.hoster-cdn.net; the policy does not list mail.hoster-cdn.net"))
        let names = try check(checks, "certificate-names", "mx1.example.com")
        #expect(!names.ok && names.detail.contains("does not cover mx1.example.com"))
        // Everything else a sender checks is fine: DNS, records, the policy, the chain, expiry, STARTTLS.
        #expect(checks.filter { !$0.ok }.map(\.name).sorted() == ["certificate-names", "mx-alias", "policy-mx"])
        #expect(try check(checks, "certificate-trusted", "mx1.example.com").ok)
        #expect(try check(checks, "policy-fetch", "mta-sts.example.com").ok)
    }

    @Test func theFixedSetUpPasses() async throws {
        let checks = try await run(LoopbackWorld.Setup())
        #expect(checks.allSatisfy { $0.ok }, "\(checks.filter { !$0.ok })")
        #expect(checks.filter { $0.name == "certificate-names" }.count == 2)
        #expect(try check(checks, "certificate-expiry", "mx2.example.com").detail.contains("89 days left"))
    }

    @Test func anExpiredCertificateIsCountedInDays() async throws {
        let checks = try await run(LoopbackWorld.Setup(mx2ExpiresInDays: -4.5))
        let expiry = try check(checks, "certificate-expiry", "mx2.example.com")
        #expect(!expiry.ok && expiry.detail.contains("4 days ago"))
        // Expired is not also called untrusted.
        #expect(try check(checks, "certificate-trusted", "mx2.example.com").ok)
    }

    @Test func anUntrustedChainIsNamed() async throws {
        let checks = try await run(LoopbackWorld.Setup(mx2Untrusted: true))
        let trust = try check(checks, "certificate-trusted", "mx2.example.com")
        #expect(!trust.ok)
        #expect(try check(checks, "certificate-names", "mx2.example.com").ok)
    }

    @Test func noSTARTTLSIsNamed() async throws {
        let checks = try await run(LoopbackWorld.Setup(mx2STARTTLS: false))
        let starttls = try check(checks, "starttls", "mx2.example.com")
        #expect(!starttls.ok && starttls.detail.contains("does not offer STARTTLS"))
    }

    @Test func aPolicyAnswering404() async throws {
        let checks = try await run(LoopbackWorld.Setup(policyStatus: 404, policyContentType: "text/html", policyBody: "<h1>not found</h1>"))
        let fetch = try check(checks, "policy-fetch", "mta-sts.example.com")
        #expect(!fetch.ok && fetch.detail.contains("HTTP 404"))
    }

    @Test func aPolicyBehindARedirect() async throws {
        let checks = try await run(
            LoopbackWorld.Setup(
                policyStatus: 301, policyContentType: "text/html", policyLocation: "https://www.example.com/mta-sts.txt", policyBody: ""))
        let fetch = try check(checks, "policy-fetch", "mta-sts.example.com")
        #expect(!fetch.ok && fetch.detail.contains("301, a redirect to https://www.example.com/mta-sts.txt"))
    }

    @Test func aPolicyWithTheWrongContentType() async throws {
        let checks = try await run(LoopbackWorld.Setup(policyContentType: "text/html"))
        let fetch = try check(checks, "policy-fetch", "mta-sts.example.com")
        #expect(!fetch.ok && fetch.detail.contains("served as text/html"))
    }

    @Test func aPolicyHostCertificateForAnotherName() async throws {
        let checks = try await run(LoopbackWorld.Setup(policyHostName: "www.example.com"))
        let fetch = try check(checks, "policy-fetch", "mta-sts.example.com")
        #expect(!fetch.ok)
        #expect(fetch.fix?.contains("whose names include mta-sts.example.com") == true)
    }

    @Test func twoSTSRecords() async throws {
        let checks = try await run(LoopbackWorld.Setup(stsRecords: ["v=STSv1; id=1", "v=STSv1; id=2"]))
        let record = try check(checks, "mta-sts-record", "_mta-sts.example.com")
        #expect(!record.ok && record.detail.contains("2 TXT records"))
    }

    @Test func aMalformedRUA() async throws {
        let checks = try await run(LoopbackWorld.Setup(tlsrptRecord: "v=TLSRPTv1; rua=tlsrpt@example.com"))
        let record = try check(checks, "tlsrpt-record", "_smtp._tls.example.com")
        #expect(!record.ok && record.detail.contains("'tlsrpt@example.com'"))
    }

    @Test func tlsaRecordsAreMatchedAgainstTheKeyServed() async throws {
        let matching = try await run(LoopbackWorld.Setup(mx2TLSA: .matching))
        #expect(try check(matching, "tlsa", "mx2.example.com").ok)
        // dnsmasq does not validate DNSSEC: no AD bit, which DANE senders need.
        #expect(try !check(matching, "tlsa-dnssec", "mx2.example.com").ok)
        let other = try await run(LoopbackWorld.Setup(mx2TLSA: .other))
        let tlsa = try check(other, "tlsa", "mx2.example.com")
        #expect(!tlsa.ok && tlsa.detail.contains("none of the 1 TLSA record(s) at _25._tcp.mx2.example.com matches"))
        // No TLSA records, no TLSA checks.
        #expect(try await !run(LoopbackWorld.Setup()).contains { $0.name == "tlsa" })
    }

    @Test func anMXThatRefusesConnectionsIsNamedQuickly() async throws {
        let world = try LoopbackWorld()
        try world.start(LoopbackWorld.Setup())
        defer { world.stop() }
        var settings = try world.settings
        settings.smtpPort = 1  // nothing listens on 127.0.0.2:1
        let started = Date()
        let facts = await try DomainProber(settings: settings).gather("example.com")
        let checks = ProbeEvaluator().checks(facts)
        let connect = try check(checks, "smtp-connect", "mx1.example.com")
        #expect(!connect.ok && connect.detail.contains("cannot connect to port 1"))
        #expect(Date().timeIntervalSince(started) < 15)
    }

    @Test func theResolverAnswersOverTCPAsOverUDP() async throws {
        let world = try LoopbackWorld()
        try world.start(LoopbackWorld.Setup(mx1IsAlias: true))
        defer { world.stop() }
        let dns = DNSClient(server: try world.settings.resolver, timeout: .seconds(20))
        let udp = try await dns.query("mx1.example.com", .a).get()
        let tcp = try await dns.query("mx1.example.com", .a, overTCP: true).get()
        #expect(tcp.answers == udp.answers)
        #expect(tcp.answers.contains(.cname(name: "mx1.example.com", target: "mail.hoster-cdn.net")))
    }

    @Test func aTruncatedAnswerIsAskedAgainOverTCP() async throws {
        // 40 TXT records of about 70 bytes: some 3 KB, more than the 1232 bytes the query offers over UDP.
        let big = (0..<40).map { "--txt-record=big.example.com,\(String(repeating: "x", count: 64))-\($0)" }
        let world = try LoopbackWorld()
        try world.start(LoopbackWorld.Setup(extraDNS: big))
        defer { world.stop() }
        let answer = try await DNSClient(server: try world.settings.resolver, timeout: .seconds(20)).query("big.example.com", .txt).get()
        #expect(answer.answers.count == 40)
        #expect(!answer.truncated)
    }
}
