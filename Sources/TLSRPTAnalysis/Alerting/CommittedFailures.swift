package import Foundation
package import TLSRPTCore
package import TLSRPTStore

/// What newly stored reports add, as the alert check needs it: the UTC days they start on, the policy domains
/// they name, and the failures they report (domain, receiving host, result type).
///
/// Only what a commit stored counts: a duplicate adds nothing, and a clean report adds no failure, so it can
/// raise nothing, even on a day whose earlier reports showed a problem that was never told.
package struct CommittedFailures: Sendable, Equatable {
    /// A failure the new reports show.
    package struct Touch: Sendable, Hashable {
        package var domain: String?
        package var host: String?
        /// Canonical result type name.
        package var resultType: String

        package init(domain: String?, host: String?, resultType: String) {
            self.domain = domain
            self.host = host
            self.resultType = resultType
        }
    }

    /// Midnight UTC of each day a new report starts on.
    package var days: Set<Date> = []
    package var domains: Set<String> = []
    package var touches: Set<Touch> = []
    /// Midnight UTC of each day any new report starts on, clean or not: what a "resolved" notice looks at.
    package var reportedDays: Set<Date> = []

    package init(days: Set<Date> = [], domains: Set<String> = [], touches: Set<Touch> = []) {
        self.days = days
        self.domains = domains
        self.touches = touches
    }

    /// The stored reports of a commit (duplicates and refused ones left out).
    package init(reports: [IncomingReport], outcomes: [InsertOutcome]) {
        for (incoming, outcome) in zip(reports, outcomes) {
            guard case .stored = outcome else { continue }
            add(incoming.decoded.report)
        }
    }

    package mutating func add(_ report: Report) {
        var failed = false
        for result in report.policies {
            if let domain = result.policy.domain { domains.insert(domain) }
            for detail in result.failureDetails {
                failed = true
                touches.insert(Touch(domain: result.policy.domain, host: detail.receivingMXHostname, resultType: detail.resultType.name))
            }
        }
        // A clean report's day needs no look for new problems (it cannot show one), only for resolved ones.
        let day = ReportPeriod.startOfDay(report.dateRange.start)
        if failed { days.insert(day) }
        reportedDays.insert(day)
    }

    package mutating func merge(_ other: CommittedFailures) {
        days.formUnion(other.days)
        domains.formUnion(other.domains)
        touches.formUnion(other.touches)
        reportedDays.formUnion(other.reportedDays)
    }

    /// Nothing that could be a problem.
    package var isEmpty: Bool { touches.isEmpty }

    /// No report was stored at all.
    package var storedNothing: Bool { reportedDays.isEmpty }

    /// Whether the new reports show failures of this finding: one of its result types, on one of its hosts
    /// (or it names none), for one of its domains (or it names none).
    package func touch(_ finding: Finding) -> Bool {
        let domains = Set(finding.domains)
        let hosts = Set(finding.hosts)
        return touches.contains { touch in
            finding.resultTypes[touch.resultType] != nil
                && (hosts.isEmpty || touch.host.map(hosts.contains) == true)
                && (domains.isEmpty ? touch.domain == nil : touch.domain.map(domains.contains) == true)
        }
    }
}
