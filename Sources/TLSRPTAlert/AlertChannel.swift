package import TLSRPTAnalysis

/// Somewhere an alert goes: a command, a webhook, a mail. One call is one attempt; ``AlertMonitor`` retries,
/// bounds the time and records the outcome.
package protocol AlertChannel: Sendable {
    /// `command`, `webhook` or `mail`, as `tlsrpt alerts` lists it.
    var name: String { get }
    /// What `tlsrpt alerts` shows of where it went: the command line, the webhook's scheme and host (its path is
    /// often the secret), the address.
    var target: String { get }
    /// Delivers `alert` (whose JSON is `json`) once, within `timeout` seconds.
    func deliver(_ alert: Alert, json: String, timeout: Double) async throws(AlertDeliveryError)
}
