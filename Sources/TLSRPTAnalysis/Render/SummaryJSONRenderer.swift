import Foundation
package import TLSRPTCore

/// `summary --format json`: docs/ARCHITECTURE.md's stable keys, in its order, so scripts can rely on them, then
/// `mx_hosts`, `diagnoses` and `trend`.
package enum SummaryJSONRenderer {
    package static func render(_ report: PeriodReport) -> String {
        document(report).serialized(pretty: true) + "\n"
    }

    package static func document(_ report: PeriodReport) -> JSONValue {
        guard case .object(var object) = document(report.summary) else { return document(report.summary) }
        object.members.append(("verdict", .string(report.verdict)))
        object.members.append(("diagnoses", .array(report.findings.map(finding))))
        object.members.append(("trend", report.trend.map(trend) ?? .null))
        object.members.append(("policy_changes", .array(report.policyChanges.map(policyChange))))
        object.members.append(
            (
                "mx_host_policy_domains",
                .object(JSONObject(report.mxHostOwners.sorted { $0.key < $1.key }.map { ($0.key, .array($0.value.map(JSONValue.string))) }))
            ))
        return .object(object)
    }

    static func finding(_ finding: Finding) -> JSONValue {
        .object(
            JSONObject([
                ("rule", .string(finding.rule)),
                ("severity", .string(finding.severity.name)),
                ("domain", .optionalString(finding.domain)),
                ("domains", .array(finding.domains.map(JSONValue.string))),
                ("hosts", .array(finding.hosts.map(JSONValue.string))),
                ("failed_sessions", .int(finding.failedSessions)),
                ("result_types", resultTypes(finding.resultTypes)),
                (
                    "senders",
                    .array(
                        finding.senders.map {
                            .object(JSONObject([("organization", .string($0.organization)), ("failed_sessions", .int($0.failedSessions))]))
                        })
                ),
                ("first_seen", .string(RFC3339Date.day(finding.firstSeen))),
                ("last_seen", .string(finding.lastSeenDay)),
                ("policy_mode", .optionalString(finding.policyMode)),
                ("policy_type", .optionalString(finding.policyType)),
                ("headline", .string(finding.headline)),
                ("impact", .string(finding.impact)),
                ("cause", .string(finding.cause)),
                ("fixes", .array(finding.fixes.map(JSONValue.string))),
                ("evidence", .array(finding.evidence.map(JSONValue.string))),
                ("notes", .array(finding.notes.map(JSONValue.string))),
            ]))
    }

    static func policyChange(_ change: PolicyChange) -> JSONValue {
        .object(
            JSONObject([
                ("domain", .optionalString(change.domain)),
                ("changed", .string(change.when)),
                ("before_last_seen", .string(RFC3339Date.day(change.lastSeenBefore))),
                ("first_failure_after", .optionalString(change.firstFailureAfter.map(RFC3339Date.day))),
                ("differences", .array(change.differences.map(JSONValue.string))),
                ("before", .array(change.before.map(JSONValue.string))),
                ("after", .array(change.after.map(JSONValue.string))),
            ]))
    }

    static func trend(_ trend: Trend) -> JSONValue {
        .object(
            JSONObject([
                ("previous_from", .string(RFC3339Date.format(trend.previousFrom))),
                ("previous_to", .string(RFC3339Date.format(trend.previousTo))),
                ("previous_reports", .int(trend.previousReports)),
                ("previous_successful_sessions", .int(trend.previousTotalSessions - trend.previousFailedSessions)),
                ("previous_failed_sessions", .int(trend.previousFailedSessions)),
                ("failure_rate", .double(rounded(trend.currentFailureRate))),
                ("previous_failure_rate", .double(rounded(trend.previousFailureRate))),
                ("new_result_types", .object(JSONObject(trend.newResultTypes.map { ($0.name, JSONValue.int($0.failed)) }))),
                (
                    "new_failing_senders",
                    .array(
                        trend.newFailingSenders.map {
                            .object(JSONObject([("organization", .string($0.organization)), ("failed_sessions", .int($0.failed))]))
                        })
                ),
                ("resolved_result_types", .array(trend.resolvedResultTypes.map(JSONValue.string))),
            ]))
    }

    /// Rates to six decimals, so the JSON does not show binary noise.
    static func rounded(_ value: Double) -> Double { (value * 1_000_000).rounded() / 1_000_000 }

    package static func document(_ summary: Summary) -> JSONValue {
        .object(
            JSONObject([
                ("from", .optionalString(summary.from.map(RFC3339Date.format))),
                ("to", .optionalString(summary.to.map(RFC3339Date.format))),
                ("reports", .int(summary.reports)),
                ("successful_sessions", .int(summary.successfulSessions)),
                ("failed_sessions", .int(summary.failedSessions)),
                ("result_types", resultTypes(summary.resultTypes)),
                ("senders", .array(summary.senders.map { group($0, keyName: "organization") })),
                ("policy_domains", .array(summary.policyDomains.map { group($0, keyName: "domain") })),
                (
                    "mx_hosts",
                    .array(
                        summary.mxHosts.map { host in
                            .object(
                                JSONObject([
                                    ("host", .optionalString(host.host)),
                                    ("failed_sessions", .int(host.failedSessions)),
                                    ("result_types", resultTypes(host.resultTypes)),
                                    ("senders", .array(host.senders.map(JSONValue.string))),
                                ]))
                        })
                ),
            ]))
    }

    static func group(_ group: Summary.Group, keyName: String) -> JSONValue {
        .object(
            JSONObject([
                (keyName, .optionalString(group.key)),
                ("reports", .int(group.reports)),
                ("successful_sessions", .int(group.successfulSessions)),
                ("failed_sessions", .int(group.failedSessions)),
                ("result_types", resultTypes(group.resultTypes)),
            ]))
    }

    /// Result types by failed sessions, largest first, so the JSON reads like the text.
    static func resultTypes(_ counts: [String: Int64]) -> JSONValue {
        let sorted = counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        return .object(JSONObject(sorted.map { ($0.key, JSONValue.int($0.value)) }))
    }
}
