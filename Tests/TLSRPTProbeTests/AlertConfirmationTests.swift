import Foundation
import TLSRPTAnalysis
import TLSRPTProbe
import Testing

/// What `--probe-on-alert` adds to an alert: whether the alerted cause is seen live, then the failed checks.
struct AlertConfirmationTests {
    let cname = ProblemIdentity(rule: "mx-not-in-policy", hosts: ["mail.hoster-cdn.net"], domains: ["example.com"])

    func lines(_ facts: DomainFacts, for problem: ProblemIdentity) -> [String] {
        ProbeReport.evaluate(facts, findings: [ProbeScenarios.finding("mx-not-in-policy", hosts: ["mail.hoster-cdn.net"])], now: ProbeScenarios.now)
            .confirmation(of: problem)
    }

    @Test func theSeedsCauseIsConfirmedWithTheFailedChecks() throws {
        let lines = lines(ProbeScenarios.seed, for: cname)
        let first = try #require(lines.first)
        #expect(first.hasPrefix("Probe of example.com at "))
        #expect(first.contains(": cause confirmed (policy-mx: mx1.example.com is an alias of mail.hoster-cdn.net; the policy does not list"))
        // The seed fails three checks (alias, policy, certificate names), each one line.
        #expect(lines.dropFirst().map { $0.split(separator: ":")[0] } == ["Probe check failed", "Probe check failed", "Probe check failed"])
        #expect(lines.contains { $0.hasPrefix("Probe check failed: mx-alias mx1.example.com: ") })
        #expect(lines.contains { $0.hasPrefix("Probe check failed: certificate-names mx1.example.com: ") })
    }

    @Test func aFixedDomainSaysTheCauseIsGoneAndNothingFailed() {
        let lines = lines(ProbeScenarios.fixed, for: cname)
        #expect(lines.count == 1)
        #expect(lines[0].contains(": cause no longer seen (mx: mail.hoster-cdn.net is no longer an MX host of example.com"))
    }

    @Test func aProblemNoStoredFindingMatchesIsSaidSo() {
        let other = ProblemIdentity(rule: "starttls-not-supported", hosts: ["mx9.example.net"], domains: ["example.com"])
        #expect(lines(ProbeScenarios.fixed, for: other) == [
            "Probe of example.com at \(ISO8601DateFormatter().string(from: ProbeScenarios.now)): no check decides this problem"
        ])
    }
}
