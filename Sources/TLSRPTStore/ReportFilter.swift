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
    /// Several normalised policy domains, for the alert check (issue #16): what a commit's reports name.
    /// Combined with `domain`, both apply. A report with policies for two of them counts once per domain in
    /// the per-sender report count.
    package var domains: [String]?

    package init(from: Date? = nil, to: Date? = nil, domain: String? = nil, sender: String? = nil) {
        self.from = from
        self.to = to
        self.domain = domain
        self.sender = sender
    }

    /// SQL conditions on `report r` (and, when a domain is set, `policy p`), with their arguments. Of
    /// several versions of one report only the one that counts is selected, unless `allVersions`.
    func conditions(policyAlias: String?, allVersions: Bool = false) -> (sql: String, arguments: StatementArguments) {
        let shared = sqlConditions(policyAlias: policyAlias, allVersions: allVersions, dialect: .sqlite)
        return (shared.sql, StatementArguments(shared.arguments.map(\.databaseValue)))
    }

    /// The conditions of ``conditions(policyAlias:allVersions:)`` in either backend's SQL, `?` for each
    /// argument: the two differ only in how a sender's name is compared without regard to case, and in how a
    /// domain test reaches the index (``SQLDialect/domainEquals(_:_:)``).
    package func sqlConditions(policyAlias: String?, allVersions: Bool = false, dialect: SQLDialect) -> (sql: String, arguments: [SQLArgument]) {
        var parts: [String] = allVersions ? [] : ["r.counts = 1"]
        var arguments: [SQLArgument] = []
        if let from {
            parts.append("r.start_time >= ?")
            arguments.append(.integer(Int64(from.timeIntervalSince1970.rounded(.up))))
        }
        if let to {
            parts.append("r.start_time < ?")
            arguments.append(.integer(Int64(to.timeIntervalSince1970.rounded(.up))))
        }
        if let sender {
            parts.append(dialect.caseInsensitiveEquals("r.organization"))
            arguments.append(.text(sender))
        }
        // A domain test on the policy itself, or (without a policy alias) on any policy of the report.
        func onPolicies(_ test: (String) -> (sql: String, arguments: [SQLArgument])) {
            let (sql, values) = test(policyAlias.map { "\($0).policy_domain" } ?? "dp.policy_domain")
            parts.append(policyAlias == nil ? "EXISTS (SELECT 1 FROM policy dp WHERE dp.report = r.id AND \(sql))" : sql)
            arguments += values
        }
        if let domain { onPolicies { dialect.domainEquals($0, domain) } }
        if let domains { onPolicies { dialect.domainIn($0, domains) } }
        return (parts.isEmpty ? "1 = 1" : parts.joined(separator: " AND "), arguments)
    }

    /// Whether a policy domain is filtered on (one, or a set).
    var filtersDomains: Bool { domain != nil || domains != nil }

    /// `?, ?, ?` for `domains` (an empty set matches nothing).
    private func domainList(_ domains: [String]) -> String {
        domains.isEmpty ? "NULL" : Array(repeating: "?", count: domains.count).joined(separator: ", ")
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
        if byDomain, let domains {
            parts.append("policy_domain IN (\(domainList(domains)))")
            arguments += domains as [any DatabaseValueConvertible]
        }
        return (parts.isEmpty ? "1" : parts.joined(separator: " AND "), StatementArguments(arguments))
    }
}
