import ArgumentParser
import Foundation
import Logging
import TLSRPTAlert
import TLSRPTServer

extension TLSRPT {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Receive reports by HTTPS POST (rua=https://...) and store them.",
            discussion: """
                A domain that publishes `v=TLSRPTv1; rua=https://reports.example.com/tlsrpt` in DNS has senders \
                POST each report to that URL. This command is that endpoint, safe to expose on the Internet: it \
                stores reports exactly as 'tlsrpt ingest' does (same decoding, same deduplication, across channels), \
                recording the client address and User-Agent.

                Answers: 201 stored, 200 duplicate (so the sender stops retrying), 400 malformed gzip or JSON \
                (kept in 'tlsrpt rejects'), 413 over a size cap, 415 another content type, 422 a policy domain \
                not given with --domain, 503 when the database cannot be written (the sender retries). \
                GET /healthz answers 200; GET /metrics gives Prometheus metrics.

                TLS: --tls-cert is the chain, leaf first (Let's Encrypt's fullchain.pem), --tls-key its key. \
                Send SIGHUP after renewing to load the new files without a restart, by PID (--pid-file, or \
                systemctl reload), never by name: that would also end 'ingest -' pipes. A failed reload keeps \
                the old certificate. \
                Behind a reverse proxy that terminates TLS use --plain-http, and --trust-proxy to record the \
                address from X-Forwarded-For.

                SIGTERM or SIGINT stops accepting connections, finishes requests in flight, and exits 0.

                Examples:
                  tlsrpt serve --listen [::]:443 --tls-cert /etc/letsencrypt/live/r.example.com/fullchain.pem \\
                      --tls-key /etc/letsencrypt/live/r.example.com/privkey.pem --domain example.com
                  tlsrpt serve --listen 127.0.0.1:8080 --plain-http --trust-proxy --domain example.com \\
                      --metrics-listen 127.0.0.1:9464 --pid-file /run/tlsrpt-serve/serve.pid
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup(title: "Alerts") var alerting: AlertOptions

        @Option(help: ArgumentHelp("Address and port: 0.0.0.0:443, [::]:443; port 0 picks a free one.", valueName: "host:port"))
        var listen: String = "[::]:8443"

        @Option(help: ArgumentHelp("PEM certificate chain, leaf first.", valueName: "file"))
        var tlsCert: String?

        @Option(help: ArgumentHelp("PEM private key of the certificate.", valueName: "file"))
        var tlsKey: String?

        @Flag(help: "Serve plain HTTP (behind a reverse proxy that terminates TLS).")
        var plainHttp = false

        @Flag(help: "Take the client address from X-Forwarded-For (last entry); only behind your own proxy.")
        var trustProxy = false

        @Option(
            help: ArgumentHelp(
                "The path senders POST to; ending in /, every path below it too (one URI per customer: /tlsrpt/<domain>).",
                valueName: "path"))
        var path: String = "/tlsrpt"

        @Option(help: ArgumentHelp("Accept reports only for this policy domain (repeatable; default: any).", valueName: "domain"))
        var domain: [String] = []

        @Flag(
            help: "With --path ending in /: accept at <path><domain> only reports on that policy domain (one URI per customer, no list to keep).")
        var domainFromPath = false

        @Option(help: ArgumentHelp("Largest body as sent (compressed): bytes, or 512K, 1M.", valueName: "size"))
        var maxBody: String = "1M"

        @Option(help: ArgumentHelp("Largest report once decompressed.", valueName: "size"))
        var maxDecompressed: String = "16M"

        @Option(help: ArgumentHelp("Most connections open at once.", valueName: "n"))
        var maxConnections: Int = 512

        @Option(help: ArgumentHelp("Seconds a connection may stay silent.", valueName: "seconds"))
        var idleTimeout: Int = 30

        @Option(help: ArgumentHelp("Seconds a client has to send a request's headers.", valueName: "seconds"))
        var headerTimeout: Int = 10

        @Option(help: ArgumentHelp("Keep this much of each rejected body in the database.", valueName: "size"))
        var rejectPreview: String = "64K"

        @Option(help: ArgumentHelp("Most bytes that kept copies of rejected bodies take together; the oldest go first.", valueName: "size"))
        var rejectCopiesMax: String = "64M"

        @Option(help: ArgumentHelp("Reports decoded at once, on threads of their own (default: one per core).", valueName: "n"))
        var decodeWorkers: Int?

        @Option(help: ArgumentHelp("Requests one client address may have in flight (more: 429).", valueName: "n"))
        var maxPerClient: Int = 16

        @Option(
            help: ArgumentHelp(
                "Also serve GET /metrics on this plain-HTTP address (e.g. 127.0.0.1:9464), and not on --listen.", valueName: "host:port"))
        var metricsListen: String?

        @Flag(help: "Do not serve GET /metrics on --listen.")
        var noPublicMetrics = false

        @Option(help: ArgumentHelp("Write the process id here (for kill -HUP); removed at exit.", valueName: "file"))
        var pidFile: String?

        @Option(help: ArgumentHelp("Log level: trace, debug, info, notice, warning, error.", valueName: "level"))
        var logLevel: String = "info"

        func validate() throws {
            if ListenAddress(listen) == nil { throw ValidationError("--listen '\(listen)' is not HOST:PORT (IPv6 in brackets: [::1]:8443)") }
            if plainHttp && (tlsCert != nil || tlsKey != nil) { throw ValidationError("--plain-http does not take --tls-cert or --tls-key") }
            if !plainHttp && (tlsCert == nil || tlsKey == nil) {
                throw ValidationError("give --tls-cert and --tls-key, or --plain-http behind a reverse proxy")
            }
            if ByteCount.parse(maxBody) == nil { throw ValidationError("--max-body '\(maxBody)' is not a size such as 1M or 1048576") }
            if ByteCount.parse(maxDecompressed) == nil {
                throw ValidationError("--max-decompressed '\(maxDecompressed)' is not a size such as 16M")
            }
            if maxConnections < 1 { throw ValidationError("--max-connections must be at least 1") }
            if domainFromPath && !path.hasSuffix("/") {
                throw ValidationError("--domain-from-path needs a --path ending in / (e.g. /tlsrpt/), below which each customer's domain is named")
            }
            if ByteCount.parse(rejectPreview) == nil { throw ValidationError("--reject-preview '\(rejectPreview)' is not a size such as 64K") }
            if ByteCount.parse(rejectCopiesMax) == nil {
                throw ValidationError("--reject-copies-max '\(rejectCopiesMax)' is not a size such as 64M")
            }
            if let decodeWorkers, decodeWorkers < 1 { throw ValidationError("--decode-workers must be at least 1") }
            if maxPerClient < 1 { throw ValidationError("--max-per-client must be at least 1") }
            if let metricsListen, ListenAddress(metricsListen) == nil {
                throw ValidationError("--metrics-listen '\(metricsListen)' is not HOST:PORT (for example 127.0.0.1:9464)")
            }
            if idleTimeout < 1 || headerTimeout < 1 { throw ValidationError("timeouts are whole seconds, at least 1") }
            if Logger.Level(rawValue: logLevel) == nil { throw ValidationError("--log-level '\(logLevel)' is not a log level") }
            if !path.hasPrefix("/") { throw ValidationError("--path must start with /") }
        }

        func run() async throws {
            LoggingSystem.bootstrap(StreamLogHandler.standardError)
            var logger = Logger(label: "tlsrpt.serve")
            logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
            let store = try database.open()
            var settings = EndpointConfiguration(
                listen: ListenAddress(listen)!,
                tls: plainHttp ? nil : .init(certificatePath: tlsCert!, privateKeyPath: tlsKey!),
                trustProxy: trustProxy, path: path, domains: domain,
                maxBody: ByteCount.parse(maxBody)!, maxDecompressed: ByteCount.parse(maxDecompressed)!,
                maxConnections: maxConnections, idleTimeout: .seconds(idleTimeout), headerTimeout: .seconds(headerTimeout),
                rejectPreviewBytes: ByteCount.parse(rejectPreview)!, rejectCopiesMaxBytes: ByteCount.parse(rejectCopiesMax)!,
                decodeWorkers: decodeWorkers ?? ProcessInfo.processInfo.activeProcessorCount, maxRequestsPerClient: maxPerClient,
                publicMetrics: !noPublicMetrics && metricsListen == nil, metricsListen: metricsListen.flatMap(ListenAddress.init))
            settings.domainFromPath = domainFromPath
            let configuration = settings
            let monitor = try alerting.monitor(store: store, logger: logger)
            let server = try Console.orExit {
                try ReportServer(configuration: configuration, store: store, logger: logger, afterCommit: monitor?.observer)
            }
            let scheme = plainHttp ? "http" : "https"
            let pid = try Console.orExit { try pidFile.map(PIDFile.write(to:)) }
            defer { pid?.remove() }
            do {
                try await server.run(
                    onListening: { port in
                        // One parseable line on stdout, so scripts (and tests) using port 0 learn the port.
                        let url = "\(scheme)://\(Self.hostText(configuration.listen)):\(port)\(configuration.path)"
                        FileHandle.standardOutput.write(Data("listening on \(url)\n".utf8))
                    },
                    onMetricsListening: { port in
                        let url = "http://\(Self.hostText(configuration.metricsListen!)):\(port)/metrics"
                        FileHandle.standardOutput.write(Data("metrics on \(url)\n".utf8))
                    })
            } catch {
                Console.error("cannot serve on \(configuration.listen): \(error)")
                throw ExitCode(2)
            }
            // Deliveries under way may end before the exit, within systemd's stop timeout.
            await monitor?.finish(within: 10)
        }

        static func hostText(_ address: ListenAddress) -> String {
            address.host.contains(":") ? "[\(address.host)]" : address.host
        }
    }
}
