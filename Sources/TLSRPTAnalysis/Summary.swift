import Foundation
import TLSRPTCore

/// The numbers of a period, as `tlsrpt summary` reports them (docs/ARCHITECTURE.md's stable JSON keys).
public struct Summary: Sendable, Equatable {
    public var from: Date?
    public var to: Date?
    public var reports: Int64
    public var successfulSessions: Int64
    public var failedSessions: Int64
    /// Failed sessions per canonical result type, summed over all failure details.
    public var resultTypes: [String: Int64]
    public var senders: [Group]
    public var policyDomains: [Group]
    /// Failed sessions per receiving MX host (details without a host are under `nil`).
    public var mxHosts: [MXHostGroup]

    /// A sender's or a policy domain's share of the period.
    public struct Group: Sendable, Equatable {
        /// The organisation, or the policy domain (`nil`: policies that named no domain).
        public var key: String?
        public var reports: Int64
        public var successfulSessions: Int64
        public var failedSessions: Int64
        public var resultTypes: [String: Int64]

        public var totalSessions: Int64 { CountSum.add(successfulSessions, failedSessions) }
        public var failureRate: Double { Summary.rate(failedSessions, of: totalSessions) }
    }

    public struct MXHostGroup: Sendable, Equatable {
        public var host: String?
        public var failedSessions: Int64
        public var resultTypes: [String: Int64]
        public var senders: [String]
    }

    public var totalSessions: Int64 { CountSum.add(successfulSessions, failedSessions) }
    public var failureRate: Double { Summary.rate(failedSessions, of: totalSessions) }
    public var isClean: Bool { failedSessions == 0 && resultTypes.values.allSatisfy { $0 == 0 } }

    static func rate(_ part: Int64, of whole: Int64) -> Double {
        whole == 0 ? 0 : Double(part) / Double(whole)
    }
}
