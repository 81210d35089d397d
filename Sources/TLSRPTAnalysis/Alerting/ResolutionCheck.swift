package import Foundation
import TLSRPTCore
package import TLSRPTStore

/// Issue #16's optional "resolved" notice: a problem told by an alert is resolved when, on the last two UTC days
/// the new reports cover, every sender that reported it reported successful sessions for its domains and none
/// of the failures on its hosts (no finding of the same problem, nor any finding on one of its hosts for one of
/// its domains).
///
/// Every sender, so that Google's clean report of the day does not resolve what only Microsoft sees before
/// Microsoft has reported that day. Two reads (one per day) for all open alerts together.
///
/// A problem that comes back after its notice is told again (``NewProblemDetector``'s `resolvedSince`).
package struct ResolutionCheck: Sendable {
    package var diagnoser: Diagnoser
    package var quietDays: Int

    package init(diagnoser: Diagnoser = Diagnoser(), quietDays: Int = 2) {
        self.diagnoser = diagnoser
        self.quietDays = quietDays
    }

    /// The open alerts that the days up to `lastDay` (midnight UTC) show resolved, each with its notice.
    package func resolved(store: any ReportStorage, open: [AlertRow], lastDay: Date, now: Date = Date()) throws(StoreError) -> [(AlertRow, Alert)] {
        let days = (0..<quietDays).map { lastDay.addingTimeInterval(-Double(quietDays - 1 - $0) * 86_400) }
        // Only alerts whose failures were all before the quiet days.
        let candidates = open.filter { ReportPeriod.startOfDay($0.alert.lastSeen) < days[0] }
        guard !candidates.isEmpty else { return [] }
        let domains = Set(candidates.flatMap(\.alert.domains)).sorted()
        var perDay: [(findings: [Finding], sessions: [DiagnosisEvidence.SenderSessions])] = []
        for day in days {
            var filter = ReportFilter(from: day, to: day.addingTimeInterval(86_400))
            if !candidates.contains(where: { $0.alert.domains.isEmpty }) { filter.domains = domains }
            let rows = try store.periodRows(filter)
            let evidence = DiagnosisEvidence(rows.evidence)
            perDay.append((diagnoser.diagnose(evidence), SenderName.merged(evidence).sessions))
        }
        var resolved: [(AlertRow, Alert)] = []
        for row in candidates {
            let identity = ProblemIdentity(rule: row.alert.rule, hosts: row.alert.hosts, domains: row.alert.domains)
            let senders = Self.senders(row)
            let quiet = perDay.allSatisfy { day in
                let failing = day.findings.contains { finding in
                    let other = ProblemIdentity(finding)
                    return other.isSameProblem(as: identity)
                        || (!identity.hosts.isEmpty
                            && ProblemIdentity(rule: identity.rule, hosts: other.hosts, domains: other.domains).isSameProblem(as: identity))
                }
                let reported = senders.allSatisfy { sender in
                    day.sessions.contains {
                        $0.sender == sender && $0.successful > 0 && ($0.domain.map(identity.domains.contains) ?? identity.domains.isEmpty)
                    }
                }
                return !failing && reported && !senders.isEmpty
            }
            guard quiet else { continue }
            var command = "tlsrpt summary"
            if let domain = identity.domains.first { command += " --domain \(domain)" }
            resolved.append((row, Alert(resolving: row.alert, senders: senders, quietDays: days, command: command)))
        }
        return resolved
    }

    /// The senders an alert named (its payload's `senders`).
    static func senders(_ row: AlertRow) -> [String] {
        guard let payload = try? JSONParser().parse(Array(row.alert.payload.utf8)), case .object(let object) = payload,
            case .array(let values)? = object["senders"]
        else { return [] }
        return values.compactMap { if case .string(let name) = $0 { name } else { nil } }
    }
}
