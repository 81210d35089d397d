package import TLSRPTAnalysis

/// `--alert-mail ADDRESS` through `--sendmail CMD` (default `/usr/sbin/sendmail -t -i`): a short plain-text
/// mail whose Subject names the domain and host (see `AlertRenderer.mail`). The sendmail line runs through
/// `/bin/sh -c`, so it may carry options; exit status 0 is delivered (to the MTA's queue).
package struct MailChannel: AlertChannel {
    package let address: String
    package let sendmail: String

    package static let defaultSendmail = "/usr/sbin/sendmail -t -i"

    package init(address: String, sendmail: String = MailChannel.defaultSendmail) {
        self.address = address
        self.sendmail = sendmail
    }

    package var name: String { "mail" }
    package var target: String { address }

    package func deliver(_ alert: Alert, json: String, timeout: Double) async throws(AlertDeliveryError) {
        let shell = ShellCommand(line: sendmail, environment: [:])
        let mail = AlertRenderer.mail(alert, to: address)
        try ShellCommand.check(try await shell.run(input: Array(mail.utf8), timeout: timeout), what: "sendmail (\(sendmail))", timeout: timeout)
    }

    /// Whether `address` can go on a `To:` line as it is: one address, no spaces, controls or separators that
    /// would make it several, and no leading `-` (sendmail would read an option).
    package static func isPlausibleAddress(_ address: String) -> Bool {
        guard !address.isEmpty, !address.hasPrefix("-"), address.contains("@") else { return false }
        return !address.unicodeScalars.contains { $0.value <= 0x20 || $0.value == 0x7F || ",;<>()\"\\".unicodeScalars.contains($0) }
    }
}
