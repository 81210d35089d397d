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
        }
    }
}
