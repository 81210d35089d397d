import TLSRPTCore
import TLSRPTStore

/// `tlsa-invalid`: the TLSA records of a host do not match the key it serves, typically after a
/// certificate or key rotation that did not publish the new record first.
public struct TLSAMismatchRule: DiagnosisRule {
    public let id = "tlsa-invalid"

    public init() {}

    public func findings(in context: DiagnosisContext) -> [Finding] {
        context.byDomainAndHost(context.failures([.tlsaInvalid])).map { aggregate in
            let host = aggregate.host ?? "an MX the senders did not name"
            return context.finding(
                rule: id, kind: .dane, aggregate,
                headline: "The TLSA records of \(host) do not match the key it serves",
                cause:
                    "None of the TLSA records at _25._tcp.\(host) matches the certificate or key \(host) presents, "
                    + "typically because the certificate or key was rotated without publishing a TLSA record for the new one first.",
                fixes: CatalogueText.fixes(.tlsaInvalid, host: aggregate.host, domain: aggregate.domain))
        }
    }
}
