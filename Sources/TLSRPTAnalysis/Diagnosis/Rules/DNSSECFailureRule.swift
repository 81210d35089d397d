import TLSRPTCore
import TLSRPTStore

/// `dnssec-invalid`: senders get no DNSSEC-valid answer for a host's TLSA records.
public struct DNSSECFailureRule: DiagnosisRule {
    public let id = "dnssec-invalid"

    public init() {}

    public func findings(in context: DiagnosisContext) -> [Finding] {
        context.byDomainAndHost(context.failures([.dnssecInvalid])).map { aggregate in
            let host = aggregate.host ?? "an MX the senders did not name"
            return context.finding(
                rule: id, kind: .dane, aggregate,
                headline: "DNSSEC validation fails for the TLSA records of \(host)",
                cause:
                    "Senders' validating resolvers get a bogus or failed answer for _25._tcp.\(host): expired signatures, "
                    + "a DS record that no longer matches the DNSKEY after a rollover, or nameservers that fail on TLSA queries.",
                fixes: CatalogueText.fixes(.dnssecInvalid, host: aggregate.host, domain: aggregate.domain))
        }
    }
}
