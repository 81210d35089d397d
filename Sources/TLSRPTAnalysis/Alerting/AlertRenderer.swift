package import Foundation
package import TLSRPTCore

/// An alert in the shapes its channels take: JSON (the command's standard input, the webhook's body, the
/// database's record), a few lines of plain text (the webhook's `text`, the mail's body), a mail, and
/// `TLSRPT_ALERT_*` environment variables for simple scripts.
///
/// Hosts, domains, senders and the finding's words quote what strangers sent: the text, the mail and the
/// variables pass them through `UntrustedText` like every other output, and cut long lists so that a storm
/// over 20,000 domains is still a short message. JSON escapes what it carries and keeps every name.
package enum AlertRenderer {
    /// The most names a line of text (or a variable) lists before "… and N more".
    static let namesPerLine = 10

    package static func json(_ alert: Alert) -> String {
        document(alert).serialized(pretty: false)
    }

    package static func document(_ alert: Alert) -> JSONValue {
        .object(
            JSONObject([
                ("kind", .string(alert.kind.rawValue)),
                ("severity", .string(alert.severity.name)),
                ("rule", .string(alert.identity.rule)),
                ("headline", .string(alert.headline)),
                ("domains", .array(alert.domains.map(JSONValue.string))),
                ("hosts", .array(alert.hosts.map(JSONValue.string))),
                ("host", .optionalString(alert.hosts.first)),
                ("result_types", .object(JSONObject(alert.resultTypeNames.map { ($0, .int(alert.resultTypes[$0]!)) }))),
                ("senders", .array(alert.senders.map(JSONValue.string))),
                ("failed_sessions", .int(alert.failedSessions)),
                ("first_seen", .string(RFC3339Date.format(alert.firstSeen))),
                ("last_seen", .string(RFC3339Date.format(alert.lastSeen))),
                ("rate_before", alert.rateBefore.map(JSONValue.double) ?? .null),
                ("rate_now", alert.rateNow.map(JSONValue.double) ?? .null),
                ("quiet_days", .array(alert.quietDays.map { .string(RFC3339Date.day($0)) })),
                ("cause", .string(alert.cause)),
                ("impact", .string(alert.impact)),
                ("fix", .optionalString(alert.fix)),
                ("command", .string(alert.command)),
                ("probe", .array(alert.probe.map(JSONValue.string))),
                // What Slack, Mattermost and Rocket.Chat show as it is.
                ("text", .string(text(alert))),
            ]))
    }

    /// `new problem` / `failure rate jumped`.
    static func what(_ alert: Alert) -> String {
        switch alert.kind {
        case .new: "new problem"
        case .jump: "failure rate jumped"
        case .resolved: "resolved"
        }
    }

    /// `example.com` / `3 domains: a.example, b.example, c.example`.
    static func domainsText(_ alert: Alert) -> String {
        guard alert.domains.count != 1 else { return clean(alert.domains[0]) }
        if alert.domains.isEmpty { return "(no policy domain named)" }
        return "\(NumberFormat.count(alert.domains.count, "domain")): \(names(alert.domains))"
    }

    static func hostsText(_ alert: Alert) -> String {
        alert.hosts.isEmpty ? "(none named)" : names(alert.hosts)
    }

    /// The alert in a few lines, for people: headline, where, who, since when, why, what to do first, and
    /// where to look.
    package static func text(_ alert: Alert) -> String {
        if alert.kind == .resolved {
            return [
                "tlsrpt resolved: \(clean(alert.headline))",
                "Domains: \(domainsText(alert))",
                "Host\(alert.hosts.count == 1 ? "" : "s"): \(hostsText(alert))",
                "Only successes on \(alert.quietDays.map(RFC3339Date.day).joined(separator: " and ")); first seen \(RFC3339Date.day(alert.firstSeen)).",
                "Full picture: \(clean(alert.command))",
            ].joined(separator: "\n")
        }
        var lines = ["tlsrpt \(alert.severity.name), \(what(alert)): \(clean(alert.headline))"]
        lines.append("Domains: \(domainsText(alert))")
        lines.append("Host\(alert.hosts.count == 1 ? "" : "s"): \(hostsText(alert))")
        let types = alert.resultTypeNames.prefix(namesPerLine).map { "\(clean($0)) (\(NumberFormat.grouped(alert.resultTypes[$0]!)))" }
        lines.append("Result types: \(types.joined(separator: ", "))")
        if !alert.senders.isEmpty { lines.append("Reported by: \(names(alert.senders))") }
        lines.append("First seen: \(RFC3339Date.day(alert.firstSeen)), last seen \(RFC3339Date.day(alert.lastSeen))")
        if let before = alert.rateBefore, let now = alert.rateNow {
            lines.append("Failure rate: \(NumberFormat.percent(before)) before, \(NumberFormat.percent(now)) now")
        }
        lines.append("Likely cause: \(clean(alert.cause))")
        if let fix = alert.fix { lines.append("First fix: \(clean(fix))") }
        for line in alert.probe.prefix(5) { lines.append(clean(line)) }
        lines.append("Full picture: \(clean(alert.command))")
        return lines.joined(separator: "\n")
    }

    /// `[tlsrpt] critical: new problem for example.com on mail.hoster-cdn.net (mx-not-in-policy)`.
    package static func subject(_ alert: Alert) -> String {
        let domains = alert.domains.count == 1 ? alert.domains[0] : alert.domains.isEmpty ? "no named domain" : "\(alert.domains.count) domains"
        let host = alert.hosts.isEmpty ? "" : " on \(alert.hosts[0])\(alert.hosts.count > 1 ? " and \(alert.hosts.count - 1) more" : "")"
        let level = alert.kind == .resolved ? "resolved" : "\(alert.severity.name): \(what(alert))"
        return UntrustedText.sanitised("[tlsrpt] \(level) for \(domains)\(host) (\(alert.identity.rule))", limit: 200)
    }

    /// A short plain-text mail for `sendmail -t -i` (which reads the recipients from `To:` and takes a line with
    /// a single dot as text). No `From:`: sendmail sets the sender of the user tlsrpt runs as.
    package static func mail(_ alert: Alert, to address: String) -> String {
        let subject = subject(alert)
        let encodedSubject =
            subject.unicodeScalars.allSatisfy(\.isASCII) ? subject : "=?UTF-8?B?\(Data(subject.utf8).base64EncodedString())?="
        let headers = [
            "To: \(address)",
            "Subject: \(encodedSubject)",
            "Auto-Submitted: auto-generated",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
        ]
        return headers.joined(separator: "\n") + "\n\n" + text(alert) + "\n"
    }

    /// `TLSRPT_ALERT_*` for scripts that would rather not parse JSON. Lists are space-separated (names hold no
    /// spaces), senders comma-separated; every value is one sanitised line, lists cut to a bounded length.
    package static func environment(_ alert: Alert) -> [String: String] {
        func list(_ values: [String], separator: String = " ") -> String {
            UntrustedText.sanitised(values.prefix(1_000).joined(separator: separator), limit: 20_000)
        }
        return [
            "TLSRPT_ALERT_KIND": alert.kind.rawValue,
            "TLSRPT_ALERT_SEVERITY": alert.severity.name,
            "TLSRPT_ALERT_RULE": clean(alert.identity.rule),
            "TLSRPT_ALERT_HEADLINE": clean(alert.headline),
            "TLSRPT_ALERT_DOMAIN": clean(alert.domains.first ?? ""),
            "TLSRPT_ALERT_DOMAINS": list(alert.domains),
            "TLSRPT_ALERT_DOMAIN_COUNT": String(alert.domains.count),
            "TLSRPT_ALERT_HOST": clean(alert.hosts.first ?? ""),
            "TLSRPT_ALERT_HOSTS": list(alert.hosts),
            "TLSRPT_ALERT_RESULT_TYPES": list(alert.resultTypeNames),
            "TLSRPT_ALERT_SENDERS": list(alert.senders, separator: ", "),
            "TLSRPT_ALERT_FAILED_SESSIONS": String(alert.failedSessions),
            "TLSRPT_ALERT_FIRST_SEEN": RFC3339Date.format(alert.firstSeen),
            "TLSRPT_ALERT_CAUSE": clean(alert.cause),
            "TLSRPT_ALERT_FIX": clean(alert.fix ?? ""),
            "TLSRPT_ALERT_COMMAND": clean(alert.command),
            "TLSRPT_ALERT_PROBE": clean(alert.probe.first ?? ""),
            "TLSRPT_ALERT_SUBJECT": subject(alert),
        ]
    }

    static func clean(_ text: String) -> String { UntrustedText.sanitised(text, limit: 1_000) }

    static func names(_ values: [String]) -> String { clean(DisplayLimit.joined(values, limit: namesPerLine)) }
}
