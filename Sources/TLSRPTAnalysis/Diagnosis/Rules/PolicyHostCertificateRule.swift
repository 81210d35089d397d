import TLSRPTCore
import TLSRPTStore

/// `sts-webpki-invalid`: the HTTPS certificate of the policy host `mta-sts.<domain>` fails validation, so
/// senders cannot trust the policy.
public struct PolicyHostCertificateRule: DiagnosisRule {
    public let id = "sts-webpki-invalid"

    public init() {}

    public func findings(in context: DiagnosisContext) -> [Finding] {
        context.byDomain(context.failures([.stsWebpkiInvalid])).map { aggregate in
            let domain = aggregate.domain ?? "DOMAIN"
            return context.finding(
                rule: id, kind: .policyRetrieval, aggregate,
                headline: "The policy host mta-sts.\(domain) has a bad HTTPS certificate",
                cause:
                    "The certificate of mta-sts.\(domain) does not validate for https://mta-sts.\(domain)/.well-known/mta-sts.txt: "
                    + "it has expired, does not name mta-sts.\(domain), or is self-signed or missing its intermediates.",
                fixes: CatalogueText.fixes(.stsWebpkiInvalid, host: nil, domain: aggregate.domain))
        }
    }
}
