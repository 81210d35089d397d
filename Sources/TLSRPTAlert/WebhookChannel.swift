package import Foundation
package import TLSRPTAnalysis

/// `--alert-webhook URL`: an HTTP(S) POST of the alert's JSON, whose `text` field Slack, Mattermost and
/// Rocket.Chat incoming webhooks show as it is, beside the structured fields. A 2xx answer is delivered.
package struct WebhookChannel: AlertChannel {
    package let url: URL

    package init(url: URL) {
        self.url = url
    }

    /// Whether `text` is a URL this channel can post to.
    package static func parse(_ text: String) -> URL? {
        guard let url = URL(string: text), HTTPPost.target(url) != nil else { return nil }
        return url
    }

    package var name: String { "webhook" }

    /// `https://hooks.slack.com/…`: a webhook's path is usually its secret, and `tlsrpt alerts` output is pasted
    /// into tickets.
    package var target: String {
        guard let target = HTTPPost.target(url) else { return "(invalid URL)" }
        return "\(target.tls ? "https" : "http")://\(target.hostHeader)/…"
    }

    package func deliver(_ alert: Alert, json: String, timeout: Double) async throws(AlertDeliveryError) {
        let status = try await HTTPPost(url: url, contentType: "application/json").send(Array(json.utf8), timeout: timeout)
        guard (200..<300).contains(status) else { throw AlertDeliveryError(.httpFailed, "the webhook \(target) answered HTTP \(status)") }
    }
}
