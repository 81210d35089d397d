import TLSRPTCore
import TLSRPTStore

/// Result types outside the registry: shown verbatim, with the additional information and reason codes
/// that came with them, since those are all there is to go on.
package struct UnknownResultTypeRule: DiagnosisRule {
    package let id = "unknown-result-type"

    package init() {}

    package func findings(in context: DiagnosisContext) -> [Finding] {
        let unknown = context.evidence.failures.filter { !$0.resultType.isRegistered }
        var byType: [String: [DiagnosisEvidence.FailureGroup]] = [:]
        for group in unknown { byType["\(group.domain ?? "")\u{0}\(group.resultType.name)", default: []].append(group) }
        return byType.values.map(FailureAggregate.init).sortedBySize().map { aggregate in
            let name = aggregate.groups[0].resultType.name
            let raw = Set(aggregate.groups.flatMap(\.resultTypeRaw)).sorted()
            let place = aggregate.hosts.isEmpty ? "" : " on " + aggregate.hosts.joined(separator: ", ")
            var evidence: [String] = []
            if !raw.isEmpty { evidence.append("Sent as: " + raw.map { "\"\($0)\"" }.joined(separator: ", ")) }
            return context.finding(
                rule: id, kind: .unknown, aggregate,
                headline: "Senders report the unregistered result type \"\(name)\"\(place)",
                cause: ResultType.unknown(name).info.meaning + " The reason codes and additional information below are the best clue.",
                fixes: CatalogueText.fixes(.unknown(name), host: aggregate.host, domain: aggregate.domain), evidence: evidence)
        }
    }
}
