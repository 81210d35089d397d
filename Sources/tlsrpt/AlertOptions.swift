import ArgumentParser
import Foundation
import Logging
import TLSRPTAlert
import TLSRPTAnalysis
import TLSRPTProbe
import TLSRPTProbeNetwork
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

    @Flag(
        help: """
            Before a new problem's alert goes out, probe its domain live (as 'tlsrpt probe' does) and say in the alert \
            whether its cause is confirmed; the alert waits for the probe (each network step at most --probe-timeout).
            """)
    var probeOnAlert = false

    @Option(help: ArgumentHelp("With --probe-on-alert: the DNS resolver to ask (default: /etc/resolv.conf's).", valueName: "host:port"))
    var probeResolver: String?

    @Option(help: ArgumentHelp("With --probe-on-alert: the port SMTP is probed on.", valueName: "port"))
    var probeSMTPPort = 25

    @Option(help: ArgumentHelp("With --probe-on-alert: the port the policy is fetched from.", valueName: "port"))
    var probeHTTPSPort = 443

    @Option(help: ArgumentHelp("With --probe-on-alert: extra trust anchors (PEM).", valueName: "pem"))
    var probeCAFile: String?

    @Option(help: ArgumentHelp("With --probe-on-alert: seconds each network step may take.", valueName: "seconds"))
    var probeTimeout: Double = 10

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
        try probeNetwork.validate()
        let probeOptionGiven = probeResolver != nil || probeCAFile != nil || probeSMTPPort != 25 || probeHTTPSPort != 443 || probeTimeout != 10
        if probeOptionGiven && !probeOnAlert { throw ValidationError("--probe-* options need --probe-on-alert") }
        if probeOnAlert && channels.isEmpty { throw ValidationError("--probe-on-alert needs an alert channel (--alert-command, --alert-webhook or --alert-mail)") }
    }

    var probeNetwork: ProbeNetworkSettings {
        ProbeNetworkSettings(
            resolver: probeResolver, smtpPort: probeSMTPPort, httpsPort: probeHTTPSPort, caFile: probeCAFile, timeout: probeTimeout, prefix: "--probe-")
    }

    var channels: [any AlertChannel] {
        alertCommand.map { CommandChannel(command: $0) as any AlertChannel }
            + alertWebhook.compactMap { WebhookChannel.parse($0).map { WebhookChannel(url: $0) } }
            + alertMail.map { MailChannel(address: $0, sendmail: sendmail) }
    }

    /// The monitor to hand commits to, or nil when no channel is configured; exits with status 2 when the
    /// probe cannot be set up (an unreadable --probe-ca-file, no resolver).
    func monitor(store: any ReportStorage, logger: Logger) throws -> AlertMonitor? {
        let channels = self.channels
        guard !channels.isEmpty else { return nil }
        return AlertMonitor(
            store: store, channels: channels, scan: NewProblemScan(detector: NewProblemDetector(windowDays: alertWindowDays)),
            resolution: alertResolved ? ResolutionCheck() : nil, delivery: AlertMonitor.Delivery(timeout: alertTimeout, attempts: alertAttempts),
            confirmation: probeOnAlert ? try Console.orExit { try probeConfirmation(store: store) } : nil, logger: logger)
    }

    /// `--probe-on-alert`: probes the alert's first domain (a shared host's fault looks the same from each of
    /// its domains), records the finding statuses as `tlsrpt probe` does, and says whether the cause is seen.
    func probeConfirmation(store: any ReportStorage) throws -> AlertMonitor.Confirmation {
        let prober = try DomainProber(settings: try probeNetwork.settings())
        return { alert in
            guard let domain = alert.domains.first else { return [] }
            let findings = (try? PeriodReportBuilder.build(store: store, period: .all, domain: domain).findings) ?? []
            let now = Date()
            let report = ProbeReport.evaluate(await prober.gather(domain, now: now), findings: findings, now: now)
            try? store.recordProbeStatuses(report.statusRecords)
            return report.confirmation(of: alert.identity)
        }
    }
}
