import TLSRPTCore
import TLSRPTStore

/// `certificate-host-mismatch` on an MX host the policy does list (or with no policy to compare): the
/// certificate served there lacks that name in its subjectAltName.
///
/// Hosts outside the policy's `mx:` patterns are left to ``MXNotInPolicyRule``, whose fix (DNS and the
/// policy) comes first.
package struct CertificateNameMissingRule: DiagnosisRule {
    package let id = "certificate-name-missing"

    package init() {}

    package func findings(in context: DiagnosisContext) -> [Finding] {
        let groups = context.failures([.certificateHostMismatch]).filter { group in
            guard let host = group.mxHost, let policy = context.policy(for: group), !policy.mx.isEmpty else { return true }
            return policy.covers(mxHost: host)
        }
        return context.hostFindings(rule: id, type: .certificateHostMismatch, kind: .delivery, groups: groups) { host, aggregate in
            (
                aggregate.host == nil
                    ? "The certificate on \(host) does not cover the name senders connect to"
                    : "The certificate on \(host) does not cover the name \(host)",
                "The certificate served by \(host) lacks that name in its subjectAltName: it was issued for another name "
                    + "(the web site, the bare domain, a provider's server name), or this MX was added without a certificate covering it."
            )
        }
    }
}
