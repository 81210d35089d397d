import TLSRPTCore
import TLSRPTStore

/// `starttls-not-supported` on a host: STARTTLS is not offered there (often a backup MX).
package struct STARTTLSMissingRule: DiagnosisRule {
    package let id = "starttls-not-supported"

    package init() {}

    package func findings(in context: DiagnosisContext) -> [Finding] {
        context.hostFindings(rule: id, type: .starttlsNotSupported, kind: .delivery) { host, _ in
            (
                "\(MXHostText.sentenceStart(host)) does not offer STARTTLS",
                "STARTTLS is not offered on \(host): TLS was never set up there (typically a backup MX), the MTA turned it off "
                    + "because it cannot read its certificate or key, or a firewall strips STARTTLS from the EHLO reply."
            )
        }
    }
}
