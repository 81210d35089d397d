import TLSRPTCore
import TLSRPTStore

/// Failures on a host reported by one sender only, while other senders deliver to the same domain
/// without any failure on that host: behaviour specific to that sender (it resolves names differently,
/// sends from other addresses, or checks more strictly), which the finding names.
///
/// On its own this is a notice; the ``Diagnoser`` folds it into the finding that explains the same
/// failures, so the reader sees "only Microsoft reports this" next to the cause.
package struct SenderSpecificRule: DiagnosisRule {
    package let id = "sender-specific"

    package init() {}

    package func findings(in context: DiagnosisContext) -> [Finding] {
        let withHost = context.evidence.failures.filter { $0.mxHost != nil }
        return context.byDomainAndHost(withHost).compactMap { aggregate -> Finding? in
            let senders = aggregate.senders
            guard senders.count == 1, let host = aggregate.host else { return nil }
            let sender = senders[0].organization
            // The aggregate holds every failure group on this domain and host: no scan of all the evidence.
            let failingElsewhere = Set(aggregate.groups.map(\.sender))
            let others = context.successes(for: aggregate.domain, excluding: sender).filter { !failingElsewhere.contains($0.sender) }
            guard !others.isEmpty else { return nil }
            let otherText = others.prefix(3).map { "\($0.sender) (\(NumberFormat.grouped($0.successful)) successful sessions)" }
                .joined(separator: ", ")
            let domain = aggregate.domain ?? "the same domain"
            var finding = context.finding(
                rule: id, kind: .unknown, aggregate,
                headline: "Only \(sender) reports failures on \(host)",
                cause:
                    "Other senders deliver to \(domain) without failures on \(host): \(otherText). \(sender) behaves differently: "
                    + "it may resolve the MX to another name (following a CNAME), connect from other addresses, or check more strictly.",
                fixes: [
                    "Compare \(sender)'s sending IPs with your MTA logs for \(host) at the times reported.",
                    "If the failures persist after fixing the receiving side, contact \(sender) with the report IDs.",
                ])
            finding.severity = .notice
            finding.impact = "Only \(sender)'s mail is affected."
            let verb = others.count == 1 ? "reports" : "report"
            finding.notes = ["Only \(sender) reports this; \(otherText) \(verb) no failure on \(host)."]
            return finding
        }
    }
}
