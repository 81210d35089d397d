package import Foundation
import TLSRPTCore

/// How a period compares with the one before it, of equal length: did the failure rate move, and what
/// fails now that did not before. A weekly reader wants "what is new", not the same table again.
package struct Trend: Sendable, Equatable {
    /// The previous period, [from, to).
    package var previousFrom: Date
    package var previousTo: Date
    package var previousReports: Int64
    package var previousFailedSessions: Int64
    package var previousTotalSessions: Int64
    package var currentFailedSessions: Int64
    package var currentTotalSessions: Int64
    /// Result types failing now that had no failures in the previous period, with their counts now.
    package var newResultTypes: [(name: String, failed: Int64)]
    /// Senders with failed sessions now that had none in the previous period, with their counts now.
    package var newFailingSenders: [(organization: String, failed: Int64)]
    /// Result types that failed before and not now.
    package var resolvedResultTypes: [String]

    package var previousFailureRate: Double { Summary.rate(previousFailedSessions, of: previousTotalSessions) }
    package var currentFailureRate: Double { Summary.rate(currentFailedSessions, of: currentTotalSessions) }
    /// Change of the failure rate, in percentage points.
    package var rateChangePoints: Double { (currentFailureRate - previousFailureRate) * 100 }

    /// Compares `current` with `previous` (a summary of the period just before).
    package static func compare(current: Summary, previous: Summary, previousFrom: Date, previousTo: Date) -> Trend {
        let before = Set(previous.resultTypes.filter { $0.value > 0 }.keys)
        let now = current.resultTypes.filter { $0.value > 0 }
        let failingBefore = Set(previous.senders.filter { $0.failedSessions > 0 || $0.resultTypes.values.contains { $0 > 0 } }.compactMap(\.key))
        let newSenders = current.senders.filter { group in
            let failed = max(group.failedSessions, group.resultTypes.values.countSum())
            return failed > 0 && !failingBefore.contains(group.key ?? "")
        }
        return Trend(
            previousFrom: previousFrom, previousTo: previousTo, previousReports: previous.reports,
            previousFailedSessions: previous.failedSessions, previousTotalSessions: previous.totalSessions,
            currentFailedSessions: current.failedSessions, currentTotalSessions: current.totalSessions,
            newResultTypes: now.filter { !before.contains($0.key) }.map { (name: $0.key, failed: $0.value) }
                .sorted { ($0.failed, $1.name) > ($1.failed, $0.name) },
            newFailingSenders: newSenders.map { (organization: $0.key ?? "", failed: max($0.failedSessions, $0.resultTypes.values.countSum())) }
                .sorted { ($0.failed, $1.organization) > ($1.failed, $0.organization) },
            resolvedResultTypes: before.filter { now[$0] == nil }.sorted())
    }

    package static func == (lhs: Trend, rhs: Trend) -> Bool {
        lhs.previousFrom == rhs.previousFrom && lhs.previousTo == rhs.previousTo && lhs.previousReports == rhs.previousReports
            && lhs.previousFailedSessions == rhs.previousFailedSessions && lhs.previousTotalSessions == rhs.previousTotalSessions
            && lhs.currentFailedSessions == rhs.currentFailedSessions && lhs.currentTotalSessions == rhs.currentTotalSessions
            && lhs.newResultTypes.map(\.name) == rhs.newResultTypes.map(\.name)
            && lhs.newResultTypes.map(\.failed) == rhs.newResultTypes.map(\.failed)
            && lhs.newFailingSenders.map(\.organization) == rhs.newFailingSenders.map(\.organization)
            && lhs.resolvedResultTypes == rhs.resolvedResultTypes
    }
}
