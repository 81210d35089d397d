import TLSRPTCore
import TLSRPTStore

/// `starttls-not-supported` on a host: STARTTLS is not offered there (often a backup MX).
public struct STARTTLSMissingRule: DiagnosisRule {
    public let id = "starttls-not-supported"

    public init() {}

    public func findings(in context: DiagnosisContext) -> [Finding] {
        context.byDomainAndHost(context.failures([.starttlsNotSupported])).map { aggregate in
            let host = aggregate.host ?? "an MX the senders did not name"
            return context.finding(
                rule: id, kind: .delivery, aggregate,
                headline: "\(host) does not offer STARTTLS",
                cause:
                    "STARTTLS is not offered on \(host): TLS was never set up there (typically a backup MX), the MTA turned it off "
                    + "because it cannot read its certificate or key, or a firewall strips STARTTLS from the EHLO reply.",
                fixes: CatalogueText.fixes(.starttlsNotSupported, host: aggregate.host, domain: aggregate.domain))
        }
    }
}
