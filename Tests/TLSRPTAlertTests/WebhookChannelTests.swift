import Foundation
import TLSRPTAnalysis
import TLSRPTCore
import TLSRPTTestSupport
import Testing

@testable import TLSRPTAlert

/// The webhook channel against a real HTTP server on loopback (python3's http.server).
@Suite(.enabled(if: ExternalTools.hasPython3, ExternalTools.python3Absent))
struct WebhookChannelTests {
    let dir = TemporaryDirectory()

    static func alert() -> Alert {
        var finding = Finding(
            rule: "mx-not-in-policy", severity: .critical, domain: "example.com", hosts: ["mail.hoster-cdn.net"],
            resultTypes: ["certificate-host-mismatch": 35], senders: [.init(organization: "Microsoft Corporation", failedSessions: 35)],
            failedSessions: 35, firstSeen: Date(timeIntervalSince1970: 1_795_305_600), lastSeen: Date(timeIntervalSince1970: 1_795_391_999),
            policyMode: "enforce", headline: "Microsoft cannot deliver", cause: "CNAME", impact: "lost", fixes: ["fix it"])
        finding.notes = []
        return Alert(kind: .new, finding: finding, command: "tlsrpt summary --domain example.com")
    }

    @Test func postsTheJSONWithItsTextField() async throws {
        let receiver = try WebhookReceiver(mode: .ok, folder: dir.url.appendingPathComponent("hook"))
        let channel = try #require(WebhookChannel.parse(receiver.url).map(WebhookChannel.init(url:)))
        let alert = Self.alert()
        try await channel.deliver(alert, json: AlertRenderer.json(alert), timeout: 5)
        let received = receiver.received()
        #expect(received.count == 1)
        #expect(received.first?.path == "/hooks/secret-token")
        #expect(received.first?.contentType == "application/json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data((received.first?.body ?? "").utf8)) as? [String: Any])
        #expect(object["text"] as? String == AlertRenderer.text(alert))
        #expect(object["host"] as? String == "mail.hoster-cdn.net")
        // The listing shows where it went without the path, which is the secret.
        #expect(channel.target == "http://127.0.0.1:\(receiver.port)/…")
    }

    @Test func anErrorStatusFails() async throws {
        let receiver = try WebhookReceiver(mode: .fail, folder: dir.url.appendingPathComponent("hook"))
        let channel = WebhookChannel(url: try #require(WebhookChannel.parse(receiver.url)))
        await #expect(throws: AlertDeliveryError(.httpFailed, "")) {
            try await channel.deliver(Self.alert(), json: "{}", timeout: 5)
        }
    }

    /// The server holds the connection for an hour: a timed-out error is the timeout at work. (Its wall-clock
    /// cost is measured end to end in AlertProcessTests; see ShellCommandTests for why not here.)
    @Test func aServerThatNeverAnswersTimesOut() async throws {
        let receiver = try WebhookReceiver(mode: .hang, folder: dir.url.appendingPathComponent("hook"))
        let channel = WebhookChannel(url: try #require(WebhookChannel.parse(receiver.url)))
        await #expect(throws: AlertDeliveryError(.timedOut, "")) {
            try await channel.deliver(Self.alert(), json: "{}", timeout: 1)
        }
    }

    @Test func nothingListeningFailsAtOnce() async throws {
        // A port just released: nothing listens there.
        let receiver = try WebhookReceiver(mode: .ok, folder: dir.url.appendingPathComponent("hook"))
        let url = try #require(WebhookChannel.parse(receiver.url))
        receiver.stop()
        await #expect(throws: AlertDeliveryError(.httpFailed, "")) {
            try await WebhookChannel(url: url).deliver(Self.alert(), json: "{}", timeout: 5)
        }
    }

    /// HTTPS checks the certificate against the system's trust store: a self-signed one is refused before
    /// anything is sent.
    @Test func anUntrustedCertificateIsRefused() async throws {
        let key = dir.file("key.pem")
        let chain = dir.file("cert.pem")
        let made = try await ProcessRunner.run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-keyout", key, "-out",
                chain, "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            ])
        try #require(made.status == 0, "openssl: \(made.stderr)")
        let receiver = try WebhookReceiver(mode: .ok, folder: dir.url.appendingPathComponent("hook"), certificate: (chain, key))
        let channel = WebhookChannel(url: try #require(WebhookChannel.parse(receiver.url)))
        #expect(channel.target == "https://localhost:\(receiver.port)/…")
        do {
            try await channel.deliver(Self.alert(), json: "{}", timeout: 5)
            Issue.record("a self-signed certificate was accepted")
        } catch {
            #expect(error.code == .httpFailed)
            #expect(error.message.lowercased().contains("certificate"), "\(error.message)")
        }
        #expect(receiver.received().isEmpty)
    }

    @Test func onlyHTTPAndHTTPSURLs() {
        #expect(WebhookChannel.parse("ftp://example.com/x") == nil)
        #expect(WebhookChannel.parse("not a url") == nil)
        #expect(WebhookChannel.parse("https://hooks.slack.com/services/T/B/X") != nil)
        #expect(HTTPPost.target(URL(string: "https://[::1]:8443/a?b=c")!)?.hostHeader == "[::1]:8443")
        #expect(HTTPPost.target(URL(string: "https://[::1]:8443/a?b=c")!)?.pathAndQuery == "/a?b=c")
    }
}
