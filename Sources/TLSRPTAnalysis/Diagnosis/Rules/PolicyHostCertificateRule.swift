import TLSRPTCore
import TLSRPTStore

/// `sts-webpki-invalid`: the HTTPS certificate of the policy host `mta-sts.<domain>` fails validation, so
/// senders cannot trust the policy.
public struct PolicyHostCertificateRule: DiagnosisRule {
    public let id = "sts-webpki-invalid"

    public init() {}

    public func findings(in context: DiagnosisContext) -> [Finding] {
        context.domainFindings(rule: id, type: .stsWebpkiInvalid) { domain, _ in
            (
                "The policy host mta-sts.\(domain) has a bad HTTPS certificate",
                "The certificate of mta-sts.\(domain) does not validate for https://mta-sts.\(domain)/.well-known/mta-sts.txt: "
                    + "it has expired, does not name mta-sts.\(domain), or is self-signed or missing its intermediates."
            )
        }
    }
}
