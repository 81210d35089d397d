package import Foundation
package import TLSRPTCore
package import TLSRPTStore

/// `tlsrpt alerts`: the alerts raised so far, newest first, and what became of each on each channel.
package enum AlertListRenderer {
    /// One block per alert: when, severity, kind, what and where, then one line per channel.
    package static func text(_ alerts: [AlertRow]) -> String {
        guard !alerts.isEmpty else { return "No alerts raised.\n" }
        var out = ""
        for row in alerts {
            let alert = row.alert
            let domains = alert.domains.isEmpty ? "(no domain named)" : DisplayLimit.joined(alert.domains, limit: 5)
            let hosts = alert.hosts.isEmpty ? "" : " on \(DisplayLimit.joined(alert.hosts, limit: 3))"
            out +=
                UntrustedText.sanitised(
                    "\(RFC3339Date.format(row.raisedAt))  #\(row.id) \(alert.severity) \(kindText(alert.kind)): \(domains)\(hosts)"
                )
                + "\n"
            out += "    " + UntrustedText.sanitised(alert.headline, limit: 300) + "\n"
            out += "    seen \(RFC3339Date.day(alert.firstSeen)) to \(RFC3339Date.day(alert.lastSeen))\n"
            for delivery in row.deliveries {
                out += "    " + UntrustedText.sanitised("\(delivery.channel) \(delivery.target): \(outcome(delivery))", limit: 500) + "\n"
            }
        }
        return out
    }

    static func kindText(_ kind: String) -> String {
        switch kind {
        case "jump": "rate jump"
        case "resolved": "resolved"
        default: "new problem"
        }
    }

    /// `delivered (1 attempt)`, `failed after 3 attempts: …`, `pending`.
    static func outcome(_ delivery: AlertRow.Delivery) -> String {
        if delivery.delivered { return "delivered (\(NumberFormat.count(delivery.attempts, "attempt")))" }
        guard delivery.finishedAt != nil else { return "pending (not finished; the process may have stopped first)" }
        return "failed after \(NumberFormat.count(delivery.attempts, "attempt"))" + (delivery.error.map { ": \($0)" } ?? "")
    }

    /// A JSON array: per alert its id, when it was raised, its identity, the deliveries, and the alert exactly as
    /// the channels received it (`alert`).
    package static func json(_ alerts: [AlertRow]) -> String {
        JSONValue.array(alerts.map(document)).serialized(pretty: true) + "\n"
    }

    static func document(_ row: AlertRow) -> JSONValue {
        let payload = (try? JSONParser().parse(Array(row.alert.payload.utf8))) ?? .string(row.alert.payload)
        return .object(
            JSONObject([
                ("id", .int(row.id)),
                ("raised_at", .string(RFC3339Date.format(row.raisedAt))),
                ("kind", .string(row.alert.kind)),
                ("severity", .string(row.alert.severity)),
                ("rule", .string(row.alert.rule)),
                ("headline", .string(row.alert.headline)),
                ("domains", .array(row.alert.domains.map(JSONValue.string))),
                ("hosts", .array(row.alert.hosts.map(JSONValue.string))),
                ("first_seen", .string(RFC3339Date.format(row.alert.firstSeen))),
                ("last_seen", .string(RFC3339Date.format(row.alert.lastSeen))),
                (
                    "deliveries",
                    .array(
                        row.deliveries.map { delivery in
                            .object(
                                JSONObject([
                                    ("channel", .string(delivery.channel)),
                                    ("target", .string(delivery.target)),
                                    ("delivered", .bool(delivery.delivered)),
                                    ("attempts", .int(Int64(delivery.attempts))),
                                    ("error", .optionalString(delivery.error)),
                                    ("finished_at", delivery.finishedAt.map { .string(RFC3339Date.format($0)) } ?? .null),
                                ]))
                        })
                ),
                ("alert", payload),
            ]))
    }
}
