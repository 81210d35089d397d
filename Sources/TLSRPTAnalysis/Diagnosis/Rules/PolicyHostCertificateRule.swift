import TLSRPTCore
import TLSRPTStore

/// `sts-webpki-invalid`: the HTTPS certificate of the policy host `mta-sts.<domain>` fails validation, so
/// senders cannot trust the policy.
package struct PolicyHostCertificateRule: DiagnosisRule {
    package let id = "sts-webpki-invalid"

    package init() {}

    package func findings(in context: DiagnosisContext) -> [Finding] {
        context.domainFindings(rule: id, type: .stsWebpkiInvalid) { domain, _ in
            (
                "The policy host mta-sts.\(domain) has a bad HTTPS certificate",
                "The certificate of mta-sts.\(domain) does not validate for https://mta-sts.\(domain)/.well-known/mta-sts.txt: "
                    + "it has expired, does not name mta-sts.\(domain), or is self-signed or missing its intermediates."
            )
        } shared: { aggregate, since in
            let cause = SharedPolicyHost.cause(
                "certificate failure", since: since, aggregate,
                which: " whose certificate has expired, does not name every mta-sts.<domain>, or lacks its intermediates")
            let count = NumberFormat.count(aggregate.domains.count, "domain")
            return ("The policy hosts of \(count) have bad HTTPS certificates (since \(since)): likely one shared policy host", cause)
        }
    }
}
