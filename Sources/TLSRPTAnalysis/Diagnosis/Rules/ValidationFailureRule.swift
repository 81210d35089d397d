import TLSRPTCore
import TLSRPTStore

/// `validation-failure` on a host: the catch-all, explained by the reason codes senders attach.
package struct ValidationFailureRule: DiagnosisRule {
    package let id = "validation-failure"

    package init() {}

    package func findings(in context: DiagnosisContext) -> [Finding] {
        context.hostFindings(rule: id, type: .validationFailure, kind: .delivery) { host, aggregate in
            var cause = "TLS handshakes with \(host) fail for a reason no more specific type covers"
            if let reason = aggregate.reasonCodes.first?.text {
                cause += "; senders say \"\(reason)\""
            }
            cause += ". Common causes: no TLS version or cipher in common, a weak key, or a handshake cut off by a middlebox."
            return ("TLS handshakes with \(host) fail (validation-failure)", cause)
        }
    }
}
