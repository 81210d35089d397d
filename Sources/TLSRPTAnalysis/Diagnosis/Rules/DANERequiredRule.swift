import TLSRPTCore
import TLSRPTStore

/// `dane-required`: a sender demands DANE for the domain, but the host has no DNSSEC-valid TLSA records.
public struct DANERequiredRule: DiagnosisRule {
    public let id = "dane-required"

    public init() {}

    public func findings(in context: DiagnosisContext) -> [Finding] {
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
