import ArgumentParser
import Foundation
import Logging
import TLSRPTAlert
import TLSRPTAnalysis
import TLSRPTStore

/// `--alert-*`, shared by the commands that store reports (`ingest`, `watch`, `serve`): where an alert goes
/// when a report shows a new problem. Without a channel nothing is checked.
struct AlertOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Run this shell command for each alert: the alert as JSON on stdin, TLSRPT_ALERT_* variables (repeatable).",
            valueName: "command"))
    var alertCommand: [String] = []

    @Option(
        help: ArgumentHelp(
            "POST each alert as JSON with a 'text' field (Slack, Mattermost, Rocket.Chat) to this http(s) URL (repeatable).",
            valueName: "url"))
    var alertWebhook: [String] = []

    @Option(help: ArgumentHelp("Mail each alert to this address through --sendmail (repeatable).", valueName: "address"))
    var alertMail: [String] = []

    @Option(help: ArgumentHelp("The command that sends alert mail; it reads the recipients from To:.", valueName: "command"))
    var sendmail: String = MailChannel.defaultSendmail

    @Option(help: ArgumentHelp("A problem is new when it had no failures in this many days before.", valueName: "days"))
    var alertWindowDays: Int = 14

    @Flag(inversion: .prefixedNo, help: "Also tell when a problem's hosts report only successes for two days.")
    var alertResolved = true

    @Option(help: ArgumentHelp("Seconds one delivery attempt may take.", valueName: "seconds"))
    var alertTimeout: Double = 10

    @Option(help: ArgumentHelp("Attempts per channel and alert (1 s, 2 s, ... apart).", valueName: "n"))
    var alertAttempts: Int = 3

    func validate() throws {
        for url in alertWebhook where WebhookChannel.parse(url) == nil {
            throw ValidationError("--alert-webhook '\(url)' is not an http:// or https:// URL")
        }
        for address in alertMail where !MailChannel.isPlausibleAddress(address) {
            throw ValidationError("--alert-mail '\(address)' is not one mail address (user@example.com)")
        }
        for command in alertCommand + [sendmail] where command.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--alert-command and --sendmail take a command line, not an empty string")
        }
        if alertWindowDays < 1 || alertWindowDays > 366 { throw ValidationError("--alert-window-days must be between 1 and 366") }
        if !(alertTimeout > 0 && alertTimeout <= 600) { throw ValidationError("--alert-timeout must be more than 0 and at most 600 seconds") }
        if alertAttempts < 1 || alertAttempts > 10 { throw ValidationError("--alert-attempts must be between 1 and 10") }
    }

    var channels: [any AlertChannel] {
        alertCommand.map { CommandChannel(command: $0) as any AlertChannel }
            + alertWebhook.compactMap { WebhookChannel.parse($0).map { WebhookChannel(url: $0) } }
            + alertMail.map { MailChannel(address: $0, sendmail: sendmail) }
    }

    /// The monitor to hand commits to, or nil when no channel is configured.
    func monitor(store: ReportStore, logger: Logger) -> AlertMonitor? {
        let channels = self.channels
        guard !channels.isEmpty else { return nil }
        return AlertMonitor(
            store: store, channels: channels, scan: NewProblemScan(detector: NewProblemDetector(windowDays: alertWindowDays)),
            resolution: alertResolved ? ResolutionCheck() : nil, delivery: AlertMonitor.Delivery(timeout: alertTimeout, attempts: alertAttempts),
            logger: logger)
    }
}
