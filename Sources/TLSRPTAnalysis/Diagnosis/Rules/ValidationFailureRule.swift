import TLSRPTCore
import TLSRPTStore

/// `validation-failure` on a host: the catch-all, explained by the reason codes senders attach.
public struct ValidationFailureRule: DiagnosisRule {
    public let id = "validation-failure"

    public init() {}

    public func findings(in context: DiagnosisContext) -> [Finding] {
        context.byDomainAndHost(context.failures([.validationFailure])).map { aggregate in
            let host = aggregate.host ?? "an MX the senders did not name"
            var cause = "TLS handshakes with \(host) fail for a reason no more specific type covers"
            if let reason = aggregate.reasonCodes.first?.text {
                cause += "; senders say \"\(reason)\""
            }
            cause += ". Common causes: no TLS version or cipher in common, a weak key, or a handshake cut off by a middlebox."
            return context.finding(
                rule: id, kind: .delivery, aggregate,
                headline: "TLS handshakes with \(host) fail (validation-failure)",
                cause: cause, fixes: CatalogueText.fixes(.validationFailure, host: aggregate.host, domain: aggregate.domain))
        }
    }
}
