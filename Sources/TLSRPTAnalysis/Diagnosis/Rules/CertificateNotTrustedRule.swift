import TLSRPTCore
import TLSRPTStore

/// `certificate-not-trusted` on a host: a self-signed certificate or an incomplete chain, told apart
/// by the reason codes when senders give them.
package struct CertificateNotTrustedRule: DiagnosisRule {
    package let id = "certificate-not-trusted"

    package init() {}

    package func findings(in context: DiagnosisContext) -> [Finding] {
        context.hostFindings(rule: id, type: .certificateNotTrusted, kind: .delivery) { host, aggregate in
            ("Senders do not trust the certificate on \(host)", Self.cause(host: host, reasons: aggregate.reasonCodes.map(\.text)))
        }
    }

    /// OpenSSL's texts and codes: 18/19 self-signed, 20/21 missing issuer (incomplete chain).
    static func cause(host: String, reasons: [String]) -> String {
        let text = reasons.joined(separator: " ").lowercased()
        if text.contains("self signed") || text.contains("self-signed") || text.contains("self_signed") {
            return "The certificate on \(host) is self-signed (the reason codes say so); senders need one from a publicly trusted CA."
        }
        if text.contains("local issuer") || text.contains("issuer certificate") || text.contains("intermediate")
            || text.contains("chain")
        {
            return "The chain served by \(host) is incomplete: the intermediate certificates are missing, so senders cannot reach a trusted root."
        }
        return "The certificate on \(host) is self-signed or from a private CA, or the server omits the intermediate certificates (incomplete chain)."
    }
}
