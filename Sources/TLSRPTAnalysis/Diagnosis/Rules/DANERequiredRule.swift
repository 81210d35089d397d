import TLSRPTCore
import TLSRPTStore

/// `dane-required`: a sender demands DANE for the domain, but the host has no DNSSEC-valid TLSA records.
package struct DANERequiredRule: DiagnosisRule {
    package let id = "dane-required"

    package init() {}

    package func findings(in context: DiagnosisContext) -> [Finding] {
        context.hostFindings(rule: id, type: .daneRequired, kind: .dane) { host, aggregate in
            let who = aggregate.senders.map(\.organization).joined(separator: ", ")
            return (
                "\(who) requires DANE for \(host), which has no valid TLSA records",
                "\(who) is configured to require DANE for this destination, but \(MXHostText.tlsaOwner(aggregate.host)) has no DNSSEC-validated "
                    + "TLSA records (never published, removed, or in an unsigned zone)."
            )
        }
    }
}
