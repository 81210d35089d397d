import Foundation
import TLSRPTCore
import TLSRPTStore

/// `certificate-expired` on a host: which host, and since which day senders see it.
package struct CertificateExpiredRule: DiagnosisRule {
    package let id = "certificate-expired"

    package init() {}

    package func findings(in context: DiagnosisContext) -> [Finding] {
        context.hostFindings(rule: id, type: .certificateExpired, kind: .delivery) { host, aggregate in
            let since = RFC3339Date.day(aggregate.firstSeen)
            return (
                "The certificate on \(host) has expired (failures since \(since))",
                "The certificate \(host) serves expired on or before \(since) and was not renewed, or it was renewed "
                    + "but the MTA was not reloaded and still serves the old one."
            )
        }
    }
}
