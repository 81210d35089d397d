import Foundation
import TLSRPTCore
import TLSRPTStore

/// `certificate-expired` on a host: which host, and since which day senders see it.
public struct CertificateExpiredRule: DiagnosisRule {
    public let id = "certificate-expired"

    public init() {}

    public func findings(in context: DiagnosisContext) -> [Finding] {
        context.byDomainAndHost(context.failures([.certificateExpired])).map { aggregate in
            let host = aggregate.host ?? "an MX the senders did not name"
            let since = RFC3339Date.day(aggregate.firstSeen)
            return context.finding(
                rule: id, kind: .delivery, aggregate,
                headline: "The certificate on \(host) has expired (failures since \(since))",
                cause:
                    "The certificate \(host) serves expired on or before \(since) and was not renewed, or it was renewed "
                    + "but the MTA was not reloaded and still serves the old one.",
                fixes: CatalogueText.fixes(.certificateExpired, host: aggregate.host, domain: aggregate.domain))
        }
    }
}
