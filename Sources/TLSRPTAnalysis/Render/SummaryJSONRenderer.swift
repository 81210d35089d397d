import TLSRPTCore

/// `summary --format json`: DESIGN.md's stable keys, in its order, so scripts can rely on them.
public enum SummaryJSONRenderer {
    public static func document(_ summary: Summary) -> JSONValue {
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

    public static func render(_ summary: Summary) -> String {
        document(summary).serialized(pretty: true) + "\n"
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
