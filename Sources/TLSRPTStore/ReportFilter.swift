package import Foundation
import GRDB

/// Which reports an analysis looks at: a period (by the report's start, half-open [from, to)), and
/// optionally one policy domain and one sender.
package struct ReportFilter: Sendable, Equatable {
    package var from: Date?
    package var to: Date?
    /// Normalised policy domain; `nil` means every domain.
    package var domain: String?
    /// `organization-name`, matched without regard to case.
    package var sender: String?

    package init(from: Date? = nil, to: Date? = nil, domain: String? = nil, sender: String? = nil) {
        self.from = from
        self.to = to
        self.domain = domain
        self.sender = sender
    }

    /// SQL conditions on `report r` (and, when a domain is set, `policy p`), with their arguments. Of
    /// several versions of one report only the one that counts is selected, unless `allVersions`.
    func conditions(policyAlias: String?, allVersions: Bool = false) -> (sql: String, arguments: StatementArguments) {
        var parts: [String] = allVersions ? [] : ["r.counts = 1"]
        var arguments: [any DatabaseValueConvertible] = []
        if let from {
            parts.append("r.start_time >= ?")
            arguments.append(Int64(from.timeIntervalSince1970.rounded(.up)))
        }
        if let to {
            parts.append("r.start_time < ?")
            arguments.append(Int64(to.timeIntervalSince1970.rounded(.up)))
        }
        if let sender {
            parts.append("r.organization = ? COLLATE NOCASE")
            arguments.append(sender)
        }
        if let domain {
            if let policyAlias {
                parts.append("\(policyAlias).policy_domain = ?")
            } else {
                parts.append("EXISTS (SELECT 1 FROM policy dp WHERE dp.report = r.id AND dp.policy_domain = ?)")
            }
            arguments.append(domain)
        }
        return (parts.isEmpty ? "1" : parts.joined(separator: " AND "), StatementArguments(arguments))
    }

    /// SQL conditions on a rollup table (its `day`, `organization` and, unless `byDomain` is false,
    /// `policy_domain` columns) for the whole days `days` of this filter; `days` nil for every day.
    func rollupConditions(days: Range<Int64>?, byDomain: Bool = true) -> (sql: String, arguments: StatementArguments) {
        var parts: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if let days {
            parts += ["day >= ?", "day < ?"]
            arguments += [days.lowerBound, days.upperBound]
        }
        if let sender {
            parts.append("organization = ? COLLATE NOCASE")
            arguments.append(sender)
        }
        if byDomain, let domain {
            parts.append("policy_domain = ?")
            arguments.append(domain)
        }
        return (parts.isEmpty ? "1" : parts.joined(separator: " AND "), StatementArguments(arguments))
    }
}
