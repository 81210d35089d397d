import Foundation
import TLSRPTAnalysis
import TLSRPTCore
import TLSRPTProbe

/// Facts built by hand for the scenarios of issue #18, around the seed story's domain.
enum ProbeScenarios {
    static let now = Date(timeIntervalSince1970: 1_796_169_600)  // 2026-12-02T00:00:00Z
    static let day: TimeInterval = 86_400
    static let policyText = "version: STSv1\nmode: enforce\nmx: mx1.example.com\nmx: mx2.example.com\nmax_age: 604800\n"

    static func certificate(_ names: [String], daysLeft: Double = 60, trusted: Bool = true) -> CertificateFacts {
        CertificateFacts(
            names: names, notAfter: now.addingTimeInterval(daysLeft * day), trusted: trusted,
            trustProblem: trusted ? nil : "no chain to a trusted root")
    }

    /// The seed story: mx1.example.com is a CNAME to mail.hoster-cdn.net, whose certificate covers that name only.
    static var seed: DomainFacts {
        DomainFacts(
            domain: "example.com",
            mx: .answer([
                MXFacts(name: "mx1.example.com", preference: 10, cnameChain: ["mail.hoster-cdn.net"], addresses: ["192.0.2.10"]),
                MXFacts(name: "mx2.example.com", preference: 20, addresses: ["192.0.2.20"]),
            ]),
            stsRecords: .answer(["v=STSv1; id=20261101T000000"]),
            tlsrptRecords: .answer(["v=TLSRPTv1; rua=mailto:tlsrpt@example.com"]),
            policy: .response(PolicyResponse(status: 200, contentType: "text/plain; charset=utf-8", body: policyText)),
            connections: [
                ConnectionFacts(mxName: "mx1.example.com", address: "192.0.2.10", outcome: .certificate(certificate(["mail.hoster-cdn.net"]))),
                ConnectionFacts(mxName: "mx2.example.com", address: "192.0.2.20", outcome: .certificate(certificate(["mx2.example.com"]))),
            ])
    }

    /// The admin's fix: mx1.example.com is a host of its own, with a certificate for its name.
    static var fixed: DomainFacts {
        var facts = seed
        facts.mx = .answer([
            MXFacts(name: "mx1.example.com", preference: 10, addresses: ["192.0.2.11"]),
            MXFacts(name: "mx2.example.com", preference: 20, addresses: ["192.0.2.20"]),
        ])
        facts.connections[0] = ConnectionFacts(
            mxName: "mx1.example.com", address: "192.0.2.11", outcome: .certificate(certificate(["mx1.example.com"])))
        return facts
    }

    static func finding(_ rule: String, hosts: [String], lastSeen: Date = now.addingTimeInterval(-3 * day)) -> Finding {
        Finding(
            rule: rule, severity: .critical, domain: "example.com", hosts: hosts, resultTypes: ["certificate-host-mismatch": 10],
            senders: [Finding.SenderShare(organization: "Microsoft Corporation", failedSessions: 10)], failedSessions: 10,
            firstSeen: now.addingTimeInterval(-10 * day), lastSeen: lastSeen, policyMode: "enforce", headline: "\(rule) on \(hosts)",
            cause: "", impact: "", fixes: [])
    }
}
