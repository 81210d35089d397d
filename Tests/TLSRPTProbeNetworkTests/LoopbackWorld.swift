import Foundation
import NIOCore
import TLSRPTProbe
import TLSRPTProbeNetwork
import TLSRPTTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A small Internet on loopback for `example.com`: dnsmasq serving the zone, STARTTLS SMTP servers on
/// 127.0.0.2 (mx1, or the hoster's mail.hoster-cdn.net it is an alias of) and 127.0.0.3 (mx2), and the policy
/// over HTTPS on 127.0.0.4, with certificates from a test CA made now.
///
/// Each scenario of issue #18 is this set-up with one thing changed (``Setup``).
final class LoopbackWorld: @unchecked Sendable {
    /// What differs between scenarios; the default is the admin's fixed set-up.
    struct Setup {
        /// The seed story: mx1.example.com is a CNAME to mail.hoster-cdn.net.
        var mx1IsAlias = false
        /// The names on the certificate served at 127.0.0.2 (nil: the name the MX leads to).
        var mx1CertificateNames: [String]? = nil
        /// Days from now the certificate of mx2 expires (negative: already expired).
        var mx2ExpiresInDays: Double = 90
        /// mx2's certificate is issued by a CA the probe is not told about.
        var mx2Untrusted = false
        var mx2STARTTLS = true
        /// A `3 1 1` TLSA record at `_25._tcp.mx2.example.com`: of the key served, or of another key.
        var mx2TLSA: TLSA = .none
        var policyStatus = 200
        var policyContentType = "text/plain"
        var policyLocation: String? = nil
        var policyBody = "version: STSv1\nmode: enforce\nmx: mx1.example.com\nmx: mx2.example.com\nmax_age: 604800\n"
        /// The certificate of the policy host covers this name.
        var policyHostName = "mta-sts.example.com"
        var stsRecords = ["v=STSv1; id=20261122T000000"]
        var tlsrptRecord = "v=TLSRPTv1; rua=mailto:tlsrpt@example.com"
        /// More dnsmasq record options, e.g. an answer too large for UDP.
        var extraDNS: [String] = []
    }

    enum TLSA {
        case none, matching, other
    }

    static var toolsAbsent: Comment? {
        if !ExternalTools.hasPython3 { return ExternalTools.python3Absent }
        if dnsmasq == nil { return "needs dnsmasq (apt-get install dnsmasq-base), which is not installed here" }
        return nil
    }

    static let dnsmasq: String? = ["/usr/sbin/dnsmasq", "/usr/bin/dnsmasq", "/sbin/dnsmasq"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    let directory = TemporaryDirectory("tlsrpt-probe")
    let pki: TestPKI
    var caFile: String { directory.file("ca.pem") }
    private(set) var dnsPort = 0
    private(set) var smtpPort = 0
    private(set) var httpsPort = 0
    private var servers: Process?
    private var serversInput: Pipe?

    init(pki: TestPKI? = nil) throws {
        self.pki = try pki ?? TestPKI()
        try directory.write("ca.pem", self.pki.pem)
    }

    deinit { stop() }

    /// Closing the servers' standard input stops them and their dnsmasq; SIGKILL only if that fails, as a
    /// child of the test runner inherits its blocked signals, SIGTERM among them.
    func stop() {
        guard let servers else { return }
        try? serversInput?.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(5)
        while servers.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if servers.isRunning { kill(servers.processIdentifier, SIGKILL) }
        servers.waitUntilExit()
        self.servers = nil
    }

    /// Starts (or restarts) everything for `setup`.
    func start(_ setup: Setup) throws {
        stop()
        let mx1Name = setup.mx1IsAlias ? "mail.hoster-cdn.net" : "mx1.example.com"
        let mx1 = try pki.issue(setup.mx1CertificateNames ?? [mx1Name])
        let stranger = try TestPKI(name: "a CA nobody trusts")
        let mx2 = try (setup.mx2Untrusted ? stranger : pki).issue(
            ["mx2.example.com"], notBefore: min(-1, setup.mx2ExpiresInDays - 30), notAfter: setup.mx2ExpiresInDays)
        let policy = try pki.issue([setup.policyHostName])
        var files: [String: String] = [:]
        for (name, pair) in [("mx1", mx1), ("mx2", mx2), ("policy", policy)] {
            files[name + ".crt"] = try directory.write(name + ".crt", pair.certificate)
            files[name + ".key"] = try directory.write(name + ".key", pair.key)
        }
        var tlsa: [String] = []
        switch setup.mx2TLSA {
        case .none: break
        case .matching: tlsa = ["--dns-rr=_25._tcp.mx2.example.com,52,030101\(mx2.spkiSHA256)"]
        case .other: tlsa = ["--dns-rr=_25._tcp.mx2.example.com,52,030101\(try pki.issue(["mx2.example.com"]).spkiSHA256)"]
        }
        var https: [String: Any] = [
            "address": "127.0.0.4", "cert": files["policy.crt"]!, "key": files["policy.key"]!, "status": setup.policyStatus,
            "content_type": setup.policyContentType, "body": setup.policyBody,
        ]
        if let location = setup.policyLocation { https["location"] = location }
        let config: [String: Any] = [
            "smtp": [
                ["address": "127.0.0.2", "cert": files["mx1.crt"]!, "key": files["mx1.key"]!, "starttls": true],
                ["address": "127.0.0.3", "cert": files["mx2.crt"]!, "key": files["mx2.key"]!, "starttls": setup.mx2STARTTLS],
            ],
            "https": https,
            "dnsmasq": [Self.dnsmasq!] + Self.dnsmasqOptions + Self.zone(setup) + tlsa + setup.extraDNS,
        ]
        let configPath = try directory.write("servers.json", Array(try JSONSerialization.data(withJSONObject: config)))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/loopback_servers.py").path
        process.arguments = ["python3", script, configPath]
        let output = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardInput = input
        try process.run()
        servers = process
        serversInput = input
        // The first line says which ports were taken.
        var line = Data()
        while !line.contains(0x0A) {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw WorldError("the loopback servers did not start") }
            line += chunk
        }
        let ports = try JSONSerialization.jsonObject(with: line) as? [String: Int]
        smtpPort = ports?["smtp_port"] ?? 0
        httpsPort = ports?["https_port"] ?? 0
        dnsPort = ports?["dns_port"] ?? 0
    }

    /// dnsmasq as an authoritative-only server for the test zone: no upstream, no hosts file, no config file,
    /// NXDOMAIN (not REFUSED) for other names under the test domains.
    static var dnsmasqOptions: [String] {
        [
            "--keep-in-foreground", "--no-resolv", "--no-hosts", "--conf-file=/dev/null", "--pid-file=", "--bind-interfaces",
            "--listen-address=127.0.0.1", "--user=\(NSUserName())", "--local=/example.com/hoster-cdn.net/",
        ]
    }

    /// The zone: MX, CNAME, A and TXT records of `setup`.
    static func zone(_ setup: Setup) -> [String] {
        var records = [
            "--mx-host=example.com,mx1.example.com,10", "--mx-host=example.com,mx2.example.com,20",
            "--host-record=mx2.example.com,127.0.0.3", "--host-record=mta-sts.example.com,127.0.0.4",
            "--txt-record=_smtp._tls.example.com,\(setup.tlsrptRecord)",
        ]
        records += setup.stsRecords.map { "--txt-record=_mta-sts.example.com,\($0)" }
        if setup.mx1IsAlias {
            records += ["--cname=mx1.example.com,mail.hoster-cdn.net", "--host-record=mail.hoster-cdn.net,127.0.0.2"]
        } else {
            records += ["--host-record=mx1.example.com,127.0.0.2"]
        }
        return records
    }

    /// A generous deadline: on a loaded two-core CI machine a loopback handshake has taken over 5 s. A probe
    /// that fails a TLS handshake with the policy host waits for it whole (async-http-client retries the
    /// connection until the deadline), so only that scenario is slow.
    var settings: ProbeSettings {
        get throws {
            ProbeSettings(
                resolver: try SocketAddress(ipAddress: "127.0.0.1", port: dnsPort), smtpPort: smtpPort, httpsPort: httpsPort, caFile: caFile,
                timeout: .seconds(20), ehloName: "probe.test")
        }
    }

    /// The probe's command-line options for this world.
    var options: [String] {
        ["--resolver", "127.0.0.1:\(dnsPort)", "--smtp-port", "\(smtpPort)", "--https-port", "\(httpsPort)", "--ca-file", caFile, "--timeout", "20"]
    }

    /// Gathers and judges example.com.
    func probe() async throws -> (facts: DomainFacts, checks: [ProbeCheck]) {
        let prober = try DomainProber(settings: try settings)
        let facts = await prober.gather("example.com")
        return (facts, ProbeEvaluator().checks(facts))
    }
}

struct WorldError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
