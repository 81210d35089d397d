import Foundation
import TLSRPTAnalysis
import TLSRPTProbe
import Testing

/// Stored findings against the probe's facts: present while the cause is seen, gone once it is not.
struct FindingJudgeTests {
    func judge(_ facts: DomainFacts, _ rule: String, hosts: [String]) -> FindingStatus {
        ProbeReport.evaluate(facts, findings: [ProbeScenarios.finding(rule, hosts: hosts)], now: ProbeScenarios.now).findings[0]
    }

    @Test func theSeedCauseIsPresentThenGone() {
        let before = judge(ProbeScenarios.seed, "mx-not-in-policy", hosts: ["mail.hoster-cdn.net"])
        #expect(before.status == .present)
        #expect(before.check == "policy-mx")
        #expect(before.detail.hasPrefix("mx1.example.com is an alias of mail.hoster-cdn.net; the policy does not list mail.hoster-cdn.net"))

        let after = judge(ProbeScenarios.fixed, "mx-not-in-policy", hosts: ["mail.hoster-cdn.net"])
        #expect(after.status == .gone)
        #expect(after.check == "mx")
        #expect(after.detail.contains("mail.hoster-cdn.net is no longer an MX host of example.com"))
    }

    @Test func aPolicyThatNowListsTheHostMakesItGone() {
        var facts = ProbeScenarios.seed
        facts.policy = .response(
            PolicyResponse(status: 200, contentType: "text/plain", body: ProbeScenarios.policyText + "mx: mail.hoster-cdn.net\n"))
        let status = judge(facts, "mx-not-in-policy", hosts: ["mail.hoster-cdn.net"])
        #expect(status.status == .gone && status.detail.contains("the policy now lists mail.hoster-cdn.net"))
    }

    @Test func certificateFindingsFollowTheirChecks() {
        var facts = ProbeScenarios.fixed
        #expect(judge(facts, "certificate-expired", hosts: ["mx2.example.com"]).status == .gone)
        facts.connections[1].outcome = .certificate(ProbeScenarios.certificate(["mx2.example.com"], daysLeft: -1))
        let expired = judge(facts, "certificate-expired", hosts: ["mx2.example.com"])
        #expect(expired.status == .present && expired.check == "certificate-expiry")
        #expect(judge(facts, "validation-failure", hosts: ["mx2.example.com"]).status == .present)
        #expect(judge(facts, "validation-failure", hosts: ["mx1.example.com"]).status == .gone)
    }

    @Test func starttlsAndPolicyFindings() {
        var facts = ProbeScenarios.fixed
        facts.connections[1].outcome = .noSTARTTLS
        #expect(judge(facts, "starttls-not-supported", hosts: ["mx2.example.com"]).status == .present)
        #expect(judge(ProbeScenarios.fixed, "sts-policy-fetch-error", hosts: []).status == .gone)
        facts.policy = .response(PolicyResponse(status: 404, contentType: "text/html", body: ""))
        let fetch = judge(facts, "sts-policy-fetch-error", hosts: [])
        #expect(fetch.status == .present && fetch.check == "policy-fetch")
    }

    @Test func anUnreachableMXLeavesItsFindingUnchecked() {
        var facts = ProbeScenarios.fixed
        facts.connections[1].outcome = .unreachable("connection refused")
        let status = judge(facts, "certificate-expired", hosts: ["mx2.example.com"])
        #expect(status.status == .unchecked && status.check == "smtp-connect")
    }

    @Test func aRuleNoCheckDecidesIsUnchecked() {
        #expect(judge(ProbeScenarios.fixed, "unknown-result-type", hosts: ["mx2.example.com"]).status == .unchecked)
    }

    @Test func theReportFlagsAProblemForAPresentFindingOrAFailingCheck() {
        #expect(ProbeReport.evaluate(ProbeScenarios.seed, findings: [], now: ProbeScenarios.now).hasProblem)
        #expect(
            !ProbeReport.evaluate(
                ProbeScenarios.fixed, findings: [ProbeScenarios.finding("mx-not-in-policy", hosts: ["mail.hoster-cdn.net"])], now: ProbeScenarios.now
            ).hasProblem)
    }
}
