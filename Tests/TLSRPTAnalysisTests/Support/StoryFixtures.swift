import Foundation

/// Weeks of reports with one hidden fault each, for the end-to-end tests. Numbers are chosen so that
/// totals can be checked by hand.
enum StoryFixtures {
    static let google = "Google Inc."
    static let microsoft = "Microsoft Corporation"

    /// The seed story: example.com publishes `mode: enforce` with `mx: mx1.example.com` and
    /// `mx: mx2.example.com`; Google succeeds (7 × 1,600 sessions); Microsoft connects to the CNAME
    /// target mail.hoster-cdn.net and fails with certificate-host-mismatch, 35 sessions a day, while
    /// succeeding 128 times a day (132 on the last day). Totals: 12,100 successful + 245 failed = 12,345.
    /// The week before, only Google reported, with no failures.
    static func story() -> [ReportFixture] {
        var reports: [ReportFixture] = []
        for (i, day) in ReportFixture.week(from: "2026-11-15").enumerated() {
            reports.append(googleClean(day: day, index: i, successful: 1_600))
        }
        for (i, day) in ReportFixture.week(from: "2026-11-22").enumerated() {
            reports.append(googleClean(day: day, index: i + 7, successful: 1_600))
            reports.append(
                ReportFixture(
                    organization: microsoft, reportID: "13370815220298795\(i)+example.com", day: day,
                    policies: [
                        .init(
                            successful: i == 6 ? 132 : 128, failed: 35,
                            failures: [
                                .init(resultType: "certificate-host-mismatch", host: "mail.hoster-cdn.net", count: 35, receivingIP: "198.51.100.25")
                            ])
                    ]))
        }
        return reports
    }

    static func googleClean(day: String, index: Int, successful: Int64, strings: [String] = ReportFixture.enforcePolicy) -> ReportFixture {
        ReportFixture(
            organization: google, reportID: "\(day)T00:00:00Z_example.com", day: day,
            policies: [.init(strings: strings, successful: successful, failed: 0)])
    }

    /// One week where both Google and Microsoft see the same fault, `failed` sessions a day each,
    /// from `firstFailingDay` (0-based) on.
    static func faultWeek(
        policyType: String = "sts", strings: [String] = ReportFixture.enforcePolicy, failure: ReportFixture.Failure,
        firstFailingDay: Int = 0
    ) -> [ReportFixture] {
        var reports: [ReportFixture] = []
        for (i, day) in ReportFixture.week(from: "2026-11-22").enumerated() {
            for (sender, id) in [(google, "\(day)T00:00:00Z_example.com"), (microsoft, "4242\(i)+example.com")] {
                let failing = i >= firstFailingDay
                reports.append(
                    ReportFixture(
                        organization: sender, reportID: id, day: day,
                        policies: [
                            .init(
                                type: policyType, strings: strings, successful: 500, failed: failing ? failure.count : 0,
                                failures: failing ? [failure] : [])
                        ]))
            }
        }
        return reports
    }

    /// A hidden fault and what the plain-text summary must say about it.
    struct Fault: CustomStringConvertible, Sendable {
        var name: String
        var reports: @Sendable () -> [ReportFixture]
        /// Phrases the text summary must contain: the host, the cause, the fix.
        var expected: [String]
        var description: String { name }
    }

    static let tlsa = "3 1 1 " + String(repeating: "AB", count: 32)

    static let faults: [Fault] = [
        Fault(
            name: "MX behind a CNAME outside the policy", reports: { story() },
            expected: ["mail.hoster-cdn.net", "CNAME", "do not match mail.hoster-cdn.net", "mx: mail.hoster-cdn.net", "Point the MX records"]),
        Fault(
            name: "expired certificate on one MX",
            reports: { faultWeek(failure: .init(resultType: "certificate-expired", host: "mx2.example.com", count: 20), firstFailingDay: 2) },
            expected: ["mx2.example.com", "has expired (failures since 2026-11-24)", "not renewed", "Renew the certificate"]),
        Fault(
            name: "backup MX without STARTTLS",
            reports: {
                faultWeek(
                    strings: ["version: STSv1", "mode: enforce", "mx: mx1.example.com", "mx: backup.example.com", "max_age: 86400"],
                    failure: .init(resultType: "starttls-not-supported", host: "backup.example.com", count: 3))
            },
            expected: ["backup.example.com does not offer STARTTLS", "STARTTLS is not offered", "Enable STARTTLS on every MX"]),
        Fault(
            name: "unreachable policy host",
            reports: {
                faultWeek(
                    strings: [],
                    failure: .init(
                        resultType: "sts-policy-fetch-error", host: nil, count: 12, receivingIP: nil, sendingIP: nil,
                        reason: "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"))
            },
            expected: [
                "https://mta-sts.example.com/.well-known/mta-sts.txt", "unreachable", "context deadline exceeded",
                "curl -v https://mta-sts.example.com/.well-known/mta-sts.txt",
            ]),
        Fault(
            name: "policy host with a bad certificate",
            reports: { faultWeek(strings: [], failure: .init(resultType: "sts-webpki-invalid", host: nil, count: 12, receivingIP: nil)) },
            expected: [
                "mta-sts.example.com has a bad HTTPS certificate", "expired, does not name mta-sts.example.com", "publicly trusted certificate",
            ]),
        Fault(
            name: "TLSA mismatch after rotation",
            reports: {
                faultWeek(policyType: "tlsa", strings: [tlsa], failure: .init(resultType: "tlsa-invalid", host: "mx1.example.com", count: 40))
            },
            expected: ["TLSA records of mx1.example.com", "rotated without publishing", "_25._tcp.mx1.example.com", "deferred, then bounced"]),
        Fault(
            name: "untrusted certificate",
            reports: {
                faultWeek(
                    failure: .init(
                        resultType: "certificate-not-trusted", host: "mx1.example.com", count: 9, reason: "X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT"))
            },
            expected: ["do not trust the certificate on mx1.example.com", "self-signed", "full chain"]),
        Fault(
            name: "host-name mismatch under enforce",
            reports: { faultWeek(failure: .init(resultType: "certificate-host-mismatch", host: "mx1.example.com", count: 30)) },
            expected: ["certificate on mx1.example.com does not cover the name", "subjectAltName", "mode enforce", "deferred, then bounced"]),
        Fault(
            name: "invalid policy file",
            reports: {
                faultWeek(
                    strings: ["version: STSv1", "mode: enforcing", "mx: mx1.example.com"],
                    failure: .init(resultType: "sts-policy-invalid", host: nil, count: 25, receivingIP: nil))
            },
            expected: [
                "policy file is invalid", "mode 'enforcing' is not one of enforce, testing, none", "max_age missing",
                "mta-sts.example.com/.well-known/mta-sts.txt",
            ]),
        Fault(
            name: "certificate lacking one MX name (testing)",
            reports: {
                faultWeek(
                    strings: ["version: STSv1", "mode: testing", "mx: *.example.com", "max_age: 604800"],
                    failure: .init(resultType: "certificate-host-mismatch", host: "mx2.example.com", count: 14))
            },
            expected: ["certificate on mx2.example.com does not cover the name mx2.example.com", "subjectAltName", "mode testing: mail still flows"]),
    ]
}
