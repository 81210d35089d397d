import TLSRPTCore
import TLSRPTStore

/// `tlsa-invalid`: the TLSA records of a host do not match the key it serves, typically after a
/// certificate or key rotation that did not publish the new record first.
package struct TLSAMismatchRule: DiagnosisRule {
    package let id = "tlsa-invalid"

    package init() {}

    package func findings(in context: DiagnosisContext) -> [Finding] {
        context.hostFindings(rule: id, type: .tlsaInvalid, kind: .dane) { host, aggregate in
            (
                "The TLSA records of \(host) do not match the key it serves",
                "None of the TLSA records at \(MXHostText.tlsaOwner(aggregate.host)) matches the certificate or key \(host) presents, "
                    + "typically because the certificate or key was rotated without publishing a TLSA record for the new one first."
            )
        }
    }
}
