import Foundation
import TLSRPTAnalysis
import TLSRPTCore

/// `tlsrpt probe --format json`: one object per domain with `checks` (each `name`, `host`, `ok`, `detail`,
/// and `fix` when failing) and `findings` (the summary's identity of each finding, `status`, and the check
/// that decides it).
package enum ProbeJSONRenderer {
    package static func render(_ reports: [ProbeReport]) -> String {
        JSONValue.object(JSONObject([("domains", .array(reports.map(document)))])).serialized(pretty: true) + "\n"
    }

    static func document(_ report: ProbeReport) -> JSONValue {
        .object(
            JSONObject([
                ("domain", .string(report.domain)),
                ("probed_at", .string(RFC3339Date.format(report.probedAt))),
                ("ok", .bool(!report.hasProblem)),
                ("checks", .array(report.checks.map(check))),
                ("findings", .array(report.findings.map(finding))),
            ]))
    }

    static func check(_ check: ProbeCheck) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("name", .string(check.name)), ("host", .string(check.host)), ("ok", .bool(check.ok)), ("detail", .string(check.detail)),
        ]
        if let fix = check.fix { members.append(("fix", .string(fix))) }
        return .object(JSONObject(members))
    }

    static func finding(_ status: FindingStatus) -> JSONValue {
        .object(
            JSONObject([
                ("rule", .string(status.finding.rule)),
                ("domains", .array(status.finding.domains.map(JSONValue.string))),
                ("hosts", .array(status.finding.hosts.map(JSONValue.string))),
                ("first_seen", .string(RFC3339Date.day(status.finding.firstSeen))),
                ("last_seen", .string(RFC3339Date.day(status.finding.lastSeen))),
                ("headline", .string(status.finding.headline)),
                ("status", .string(status.status.rawValue)),
                ("check", .string(status.check)),
                ("detail", .string(status.detail)),
            ]))
    }
}
