import ArgumentParser
import Foundation
import NIOCore
import TLSRPTAnalysis
import TLSRPTCore
import TLSRPTProbe
import TLSRPTProbeNetwork
import TLSRPTStore

extension TLSRPT {
    struct Probe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a domain's MTA-STS, TLS-RPT and MX TLS now, and whether the reports' findings are fixed.",
            discussion: """
                For each DOMAIN: the MX records and the CNAME chain of each MX name; _mta-sts.DOMAIN (exactly one \
                v=STSv1 record with an id); _smtp._tls.DOMAIN (v=TLSRPTv1, each rua URI); the policy at \
                https://mta-sts.DOMAIN/.well-known/mta-sts.txt fetched as a sender does (no redirects, status 200, \
                text/plain, a certificate valid for mta-sts.DOMAIN, at most 64 KiB), parsed, and every MX name and \
                CNAME target matched against its mx: lines; then every MX address: EHLO, STARTTLS, the TLS \
                handshake, the chain's trust, days to expiry, the names covered, and TLSA records where published. \
                The probe QUITs after the handshake: it never sends mail.

                Every finding of the stored reports for DOMAIN is then marked present (its cause is still seen) or \
                gone (no longer seen), with the check that decides it; the statuses are recorded, and the next \
                summary says of a gone finding "the probe of <date> found this fixed; reports will confirm".

                Exit status: 0 when every check passes and no finding is present, 3 when a problem is found, 2 on \
                usage errors.

                Examples:
                  tlsrpt probe example.com
                  tlsrpt probe --format json example.com example.org
                  tlsrpt probe --resolver 127.0.0.1:5353 --smtp-port 2525 --https-port 8443 --ca-file test-ca.pem example.com
                """)

        @OptionGroup var database: DatabaseOptions

        @Argument(help: ArgumentHelp("The policy domains to probe.", valueName: "domain"))
        var domains: [String]

        @Option(help: "Output format: text or json.")
        var format: ProbeFormat = .text

        @Option(help: ArgumentHelp("The DNS resolver to ask (default: the first nameserver of /etc/resolv.conf).", valueName: "host:port"))
        var resolver: String?

        @Option(help: ArgumentHelp("The port SMTP is probed on.", valueName: "port"))
        var smtpPort = 25

        @Option(help: ArgumentHelp("The port the policy is fetched from.", valueName: "port"))
        var httpsPort = 443

        @Option(help: ArgumentHelp("Extra trust anchors (PEM) for MX certificates and the policy host.", valueName: "pem"))
        var caFile: String?

        @Option(help: ArgumentHelp("Seconds each network step may take.", valueName: "seconds"))
        var timeout: Double = 10

        func validate() throws {
            guard !domains.isEmpty else { throw ValidationError("Name at least one domain to probe.") }
            for domain in domains where !HostName.normalise(domain).contains(".") {
                throw ValidationError("'\(domain)' is not a domain name (e.g. example.com).")
            }
            try network.validate()
        }

        var network: ProbeNetworkSettings {
            ProbeNetworkSettings(resolver: resolver, smtpPort: smtpPort, httpsPort: httpsPort, caFile: caFile, timeout: timeout, prefix: "--")
        }

        func run() async throws {
            let settings = try Console.orExit { try network.settings() }
            let prober = try Console.orExit { try DomainProber(settings: settings) }
            let store = try database.open()
            var reports: [ProbeReport] = []
            for domain in domains.map(HostName.normalise) {
                let findings = try Console.orExit { try PeriodReportBuilder.build(store: store, period: .all, domain: domain).findings }
                let now = Date()
                let facts = await prober.gather(domain, now: now)
                let report = ProbeReport.evaluate(facts, findings: findings, now: now)
                try Console.orExit { try store.recordProbeStatuses(report.statusRecords) }
                reports.append(report)
            }
            print(format == .json ? ProbeJSONRenderer.render(reports) : ProbeTextRenderer.render(reports), terminator: "")
            if reports.contains(where: \.hasProblem) { throw ExitCode(3) }
        }

        /// The name given in EHLO: this machine's, as a sender would give its own.
        static var ehloName: String {
            let name = ProcessInfo.processInfo.hostName
            return name.isEmpty || name.contains(" ") ? "localhost" : name
        }
    }
}

enum ProbeFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
