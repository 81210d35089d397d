import TLSRPTCore
import TLSRPTStore

/// `dnssec-invalid`: senders get no DNSSEC-valid answer for a host's TLSA records.
package struct DNSSECFailureRule: DiagnosisRule {
    package let id = "dnssec-invalid"

    package init() {}

    package func findings(in context: DiagnosisContext) -> [Finding] {
        context.hostFindings(rule: id, type: .dnssecInvalid, kind: .dane) { host, aggregate in
            (
                "DNSSEC validation fails for the TLSA records of \(host)",
                "Senders' validating resolvers get a bogus or failed answer for \(MXHostText.tlsaOwner(aggregate.host)): expired signatures, "
                    + "a DS record that no longer matches the DNSKEY after a rollover, or nameservers that fail on TLSA queries."
            )
        }
    }
}
