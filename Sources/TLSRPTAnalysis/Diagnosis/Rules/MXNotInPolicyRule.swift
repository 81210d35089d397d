import TLSRPTCore
import TLSRPTStore

/// Senders report failures on a receiving MX host that none of the MTA-STS policy's `mx:` patterns
/// matches (RFC 8461 §4.1: `*.example.com` matches exactly one label).
///
/// This is the story behind the project: the MX records were CNAMEs, Microsoft connected to the CNAME
/// target, which neither the policy's `mx:` lines nor the certificate covered, and under `enforce` the
/// mail stopped. Whatever result type the sender filed it under (`certificate-host-mismatch`,
/// `sts-policy-invalid`, `validation-failure`), the cause is the gap between DNS and the policy, so this
/// rule takes every result type; ``CertificateNameMissingRule`` stands aside for such hosts.
package struct MXNotInPolicyRule: DiagnosisRule {
    package let id = "mx-not-in-policy"

    package init() {}

    package func findings(in context: DiagnosisContext) -> [Finding] {
        let outside = context.evidence.failures.filter { group in
            guard let host = group.mxHost, !host.isEmpty, let policy = context.policy(for: group), !policy.mx.isEmpty else { return false }
            return !policy.covers(mxHost: host)
        }
        return context.byDomainAndHost(outside).map { aggregate in
            let host = aggregate.host ?? ""
            let domain = aggregate.domain ?? CatalogueText.domainPlaceholder
            // The policy in force when these failures were last seen (a period may hold an earlier one).
            let inForce = aggregate.groups.filter { $0.stsPolicy != nil }.min(by: DiagnosisEvidence.FailureGroup.latestFirst)?.stsPolicy
            let patterns = (inForce ?? context.latestPolicy(for: aggregate.domain)?.policy)?.mx ?? []
            let patternList = patterns.joined(separator: ", ")
            var cause =
                "The policy's mx: patterns (\(patternList)) do not match \(host), so senders that check MTA-STS refuse it. "
                + "Senders connect to this name because the MX records lead there: when an MX record points at an alias (CNAME), "
                + "senders such as Microsoft connect to the CNAME target and check the policy and the certificate against that name."
            if let hint = Self.wildcardHint(host: host, patterns: patterns) { cause += " " + hint }
            let fixes = [
                "Point the MX records of \(domain) at the real host names (an MX must not be a CNAME), and list exactly those names in the policy.",
                "Or add the line `mx: \(host)` to https://mta-sts.\(domain)/.well-known/mta-sts.txt and change the id in the _mta-sts.\(domain) TXT record so senders fetch it again.",
                "Make sure the certificate served on \(host) covers the name senders use (subjectAltName), then check: `openssl s_client -starttls smtp -connect \(host):25 -servername \(host)`.",
            ]
            return context.finding(
                rule: id, kind: .delivery, aggregate,
                headline: "Senders deliver to \(host), which the MTA-STS policy of \(domain) does not list",
                cause: cause, fixes: fixes, evidence: ["Policy mx patterns: \(patternList)"])
        }
    }

    /// Explains the wildcard edge cases people trip over: the bare domain and deeper names.
    static func wildcardHint(host: String, patterns: [String]) -> String? {
        for pattern in patterns where MXPattern(pattern).isWildcard {
            let base = String(pattern.dropFirst(2))
            if host == base {
                return "The pattern \(pattern) does not cover the bare name \(base) itself."
            }
            if host.hasSuffix("." + base) {
                return "The pattern \(pattern) covers exactly one label, so it does not match \(host)."
            }
        }
        return nil
    }
}
