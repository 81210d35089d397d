package import Foundation
import TLSRPTCore

/// The numbers of a period, as `tlsrpt summary` reports them (docs/ARCHITECTURE.md's stable JSON keys).
package struct Summary: Sendable, Equatable {
    package var from: Date?
    package var to: Date?
    package var reports: Int64
    package var successfulSessions: Int64
    package var failedSessions: Int64
    /// Failed sessions per canonical result type, summed over all failure details.
    package var resultTypes: [String: Int64]
    package var senders: [Group]
    package var policyDomains: [Group]
    /// Failed sessions per receiving MX host (details without a host are under `nil`).
    package var mxHosts: [MXHostGroup]

    /// A sender's or a policy domain's share of the period.
    package struct Group: Sendable, Equatable {
        /// The organisation, or the policy domain (`nil`: policies that named no domain).
        package var key: String?
        package var reports: Int64
        package var successfulSessions: Int64
        package var failedSessions: Int64
        package var resultTypes: [String: Int64]

        package var totalSessions: Int64 { CountSum.add(successfulSessions, failedSessions) }
        package var failureRate: Double { Summary.rate(failedSessions, of: totalSessions) }
    }

    package struct MXHostGroup: Sendable, Equatable {
        package var host: String?
        package var failedSessions: Int64
        package var resultTypes: [String: Int64]
        package var senders: [String]
    }

    package var totalSessions: Int64 { CountSum.add(successfulSessions, failedSessions) }
    package var failureRate: Double { Summary.rate(failedSessions, of: totalSessions) }
    package var isClean: Bool { failedSessions == 0 && resultTypes.values.allSatisfy { $0 == 0 } }

    static func rate(_ part: Int64, of whole: Int64) -> Double {
        whole == 0 ? 0 : Double(part) / Double(whole)
    }
}
