import TLSRPTCore
import TLSRPTStore

/// `sts-policy-fetch-error`: senders cannot download the policy from
/// `https://mta-sts.<domain>/.well-known/mta-sts.txt` (no DNS, refused, timed out, error status, redirect).
package struct PolicyFetchErrorRule: DiagnosisRule {
    package let id = "sts-policy-fetch-error"

    package init() {}

    package func findings(in context: DiagnosisContext) -> [Finding] {
        context.domainFindings(rule: id, type: .stsPolicyFetchError) { domain, aggregate in
            let url = "https://mta-sts.\(domain)/.well-known/mta-sts.txt"
            var cause = "The policy host mta-sts.\(domain) is unreachable or does not serve \(url) with status 200"
            if let reason = aggregate.reasonCodes.first?.text {
                cause += " (senders say: \"\(reason)\")"
            }
            cause += ": it has no DNS record, refuses or times out on port 443, answers 404/500, or redirects (senders must not follow redirects)."
            return ("Senders cannot fetch the MTA-STS policy of \(domain) from \(url)", cause)
        } shared: { aggregate, since in
            let cause = SharedPolicyHost.cause(
                "failure", since: since, aggregate, which: ", which is unreachable or does not serve /.well-known/mta-sts.txt with status 200")
            let count = NumberFormat.count(aggregate.domains.count, "domain")
            return ("Senders cannot fetch the MTA-STS policies of \(count) (since \(since)): likely one shared policy host", cause)
        }
    }
}
