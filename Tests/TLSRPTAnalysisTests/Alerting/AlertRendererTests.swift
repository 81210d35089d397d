import Foundation
import TLSRPTCore
import Testing

@testable import TLSRPTAnalysis

/// The alert's words in each channel's shape, and that what strangers sent cannot forge lines or headers.
struct AlertRendererTests {
    static func finding(domains: [String] = ["example.com"], host: String = "mail.hoster-cdn.net", headline: String? = nil) -> Finding {
        var finding = Finding(
            rule: "mx-not-in-policy", severity: .critical, domain: nil, hosts: [host],
            resultTypes: ["certificate-host-mismatch": 35, "validation-failure": 2],
            senders: [.init(organization: "Microsoft Corporation", failedSessions: 37)], failedSessions: 37,
            firstSeen: RFC3339Date.parse("2026-11-22T00:00:00Z")!.date, lastSeen: RFC3339Date.parse("2026-11-22T23:59:59Z")!.date,
            policyMode: "enforce", headline: headline ?? "Microsoft Corporation cannot deliver to \(host)", cause: "The MX host is a CNAME.",
            impact: "Mail is not delivered.", fixes: ["Add `mx: \(host)` to the policy.", "Second fix."])
        finding.domains = domains
        return finding
    }

    @Test func textNamesEverythingTheIssueAsksFor() {
        let text = AlertRenderer.text(Alert(kind: .new, finding: Self.finding(), command: "tlsrpt summary --domain example.com"))
        #expect(
            text == """
                tlsrpt critical, new problem: Microsoft Corporation cannot deliver to mail.hoster-cdn.net
                Domains: example.com
                Host: mail.hoster-cdn.net
                Result types: certificate-host-mismatch (35), validation-failure (2)
                Reported by: Microsoft Corporation
                First seen: 2026-11-22, last seen 2026-11-22
                Likely cause: The MX host is a CNAME.
                First fix: Add `mx: mail.hoster-cdn.net` to the policy.
                Full picture: tlsrpt summary --domain example.com
                """)
    }

    @Test func jsonCarriesTextAndStructuredFields() throws {
        let alert = Alert(kind: .new, finding: Self.finding(), command: "tlsrpt summary --domain example.com")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(AlertRenderer.json(alert).utf8)) as? [String: Any])
        #expect(object["text"] as? String == AlertRenderer.text(alert))
        #expect(object["domains"] as? [String] == ["example.com"])
        #expect(object["host"] as? String == "mail.hoster-cdn.net")
        #expect(object["kind"] as? String == "new")
        #expect(object["first_seen"] as? String == "2026-11-22T00:00:00Z")
        #expect((object["result_types"] as? [String: Int])?["certificate-host-mismatch"] == 35)
        #expect(object["fix"] as? String == "Add `mx: mail.hoster-cdn.net` to the policy.")
        #expect(object["command"] as? String == "tlsrpt summary --domain example.com")
    }

    @Test func mailHasASubjectNamingDomainAndHost() {
        let mail = AlertRenderer.mail(Alert(kind: .new, finding: Self.finding(), command: "c"), to: "postmaster@example.com")
        let (headers, body) = (mail.components(separatedBy: "\n\n")[0], mail.components(separatedBy: "\n\n")[1])
        #expect(headers.split(separator: "\n").first == "To: postmaster@example.com")
        #expect(headers.contains("Subject: [tlsrpt] critical: new problem for example.com on mail.hoster-cdn.net (mx-not-in-policy)"))
        #expect(headers.contains("Auto-Submitted: auto-generated"))
        #expect(body.hasPrefix("tlsrpt critical, new problem:"))
    }

    @Test func strangersCannotForgeHeadersOrLines() {
        let host = "evil.example\r\nBcc: victim@example.net"
        let alert = Alert(kind: .new, finding: Self.finding(host: host, headline: "x\ny \u{202E}z"), command: "c")
        let mail = AlertRenderer.mail(alert, to: "postmaster@example.com")
        let headers = mail.components(separatedBy: "\n\n")[0]
        #expect(!headers.split(separator: "\n").contains { $0.hasPrefix("Bcc:") })
        #expect(!mail.contains("\r"))
        #expect(!mail.contains("\u{202E}"))
        #expect(AlertRenderer.text(alert).split(separator: "\n").count == 9)
        for (_, value) in AlertRenderer.environment(alert) { #expect(!value.contains("\n")) }
    }

    @Test func environmentForSimpleScripts() {
        let env = AlertRenderer.environment(Alert(kind: .new, finding: Self.finding(domains: ["a.example", "b.example"]), command: "c"))
        #expect(env["TLSRPT_ALERT_DOMAINS"] == "a.example b.example")
        #expect(env["TLSRPT_ALERT_DOMAIN"] == "a.example")
        #expect(env["TLSRPT_ALERT_DOMAIN_COUNT"] == "2")
        #expect(env["TLSRPT_ALERT_HOST"] == "mail.hoster-cdn.net")
        #expect(env["TLSRPT_ALERT_SEVERITY"] == "critical")
        #expect(env["TLSRPT_ALERT_KIND"] == "new")
        #expect(env["TLSRPT_ALERT_RESULT_TYPES"] == "certificate-host-mismatch validation-failure")
    }

    @Test func aStormOfDomainsStaysAShortText() {
        let domains = (1...20_000).map { "customer\($0).example" }
        let alert = Alert(kind: .new, finding: Self.finding(domains: domains), command: "c")
        let text = AlertRenderer.text(alert)
        #expect(text.contains("Domains: 20,000 domains: customer1.example"))
        #expect(text.contains("and 19,990 more"))
        #expect(text.utf8.count < 2_000)
        #expect(AlertRenderer.subject(alert).contains("20000 domains"))
    }
}
