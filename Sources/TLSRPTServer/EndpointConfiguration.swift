import Foundation
import NIOCore
package import TLSRPTExtract

/// Everything `tlsrpt serve` is told, checked once, so the endpoint never meets a half-valid setting.
package struct EndpointConfiguration: Sendable {
    /// Where to listen.
    package var listen: ListenAddress
    /// PEM files for TLS; nil serves plain HTTP (behind a reverse proxy that terminates TLS).
    package var tls: TLSFiles?
    /// Honour `X-Forwarded-For` (only true behind a proxy we trust: anyone can send the header).
    package var trustProxy: Bool
    /// The path senders POST to (the path of the `rua=https://` URI). Ending in `/`, a prefix: every path
    /// below it is served too, as providers publish one URI per customer (`/tlsrpt/<domain-or-token>`), and
    /// the path a report came to is recorded with it.
    package var path: String

    /// Whether ``path`` is a prefix (it ends in `/`).
    package var pathIsPrefix: Bool { path.hasSuffix("/") }

    /// The longest path below a prefix that is served: a customer's domain or token, not a place to store
    /// kilobytes of a stranger's text with every report.
    package static let maxPathBelowPrefix = 255
    /// Policy domains accepted; empty accepts any. Normalised as the decoder normalises `policy-domain`.
    package var domains: Set<String>
    /// Under a prefix, the last path segment names the policy domain a report must be about
    /// (`/tlsrpt/example.com` takes reports on example.com only): a provider's allowlist of thousands of
    /// customers without listing them, since each customer's `rua=` URI names its own domain.
    package var domainFromPath: Bool = false
    /// The largest body accepted as sent (compressed). Real reports are a few KB.
    package var maxBody: Int
    /// The largest report accepted once decompressed (the cap `ingest` uses too).
    package var maxDecompressed: Int
    /// At most this many open connections; more wait in the listen backlog.
    package var maxConnections: Int
    /// A connection that sends nothing for this long is closed (keep-alive idle, or stalled upload).
    package var idleTimeout: Duration
    /// A request head must arrive within this time of the connection opening (or of the previous
    /// response): a slowloris client trickling header bytes is cut off.
    package var headerTimeout: Duration
    /// A request body must arrive within this time of its head.
    package var bodyTimeout: Duration
    /// The most reports one transaction carries under load.
    package var maxReportsPerCommit: Int
    /// A rejected body is kept in the database for a person to look at, but only its first this many
    /// bytes: the endpoint is unauthenticated, and a rejection's reason is what matters.
    package var rejectPreviewBytes: Int
    /// All raw copies of HTTPS rejections together stay under this many bytes; past it the oldest copies
    /// are dropped (their rows, with the reason, stay).
    package var rejectCopiesMaxBytes: Int
    /// Bodies decoded at once, on threads of their own (not Swift's cooperative pool, which answers
    /// `/healthz` and every other request).
    package var decodeWorkers: Int
    /// Bodies waiting for a decode worker; past it a request gets 503 with `Retry-After`.
    package var maxQueuedDecodes: Int
    /// Requests one client address may have in flight at once; past it, 429 with `Retry-After`. Sixteen: a
    /// big sender posts a provider's reports from one address several at a time (the acceptance script
    /// posts eight at once), while one address cannot hold every decode slot.
    package var maxRequestsPerClient: Int
    /// Serve `GET /metrics` on the public listener (turn off when `metricsListen` or nothing serves it).
    package var publicMetrics: Bool
    /// A second, plain-HTTP listener that serves only `GET /metrics` (for example on loopback).
    package var metricsListen: ListenAddress?

    package struct TLSFiles: Sendable, Equatable {
        /// The certificate chain, leaf first (Let's Encrypt's `fullchain.pem`).
        package var certificatePath: String
        package var privateKeyPath: String

        package init(certificatePath: String, privateKeyPath: String) {
            self.certificatePath = certificatePath
            self.privateKeyPath = privateKeyPath
        }
    }

    package init(
        listen: ListenAddress, tls: TLSFiles?, trustProxy: Bool = false, path: String = "/tlsrpt", domains: [String] = [],
        maxBody: Int = 1 << 20, maxDecompressed: Int = ExtractionLimits.default.maxDecompressedBytes, maxConnections: Int = 512,
        idleTimeout: Duration = .seconds(30), headerTimeout: Duration = .seconds(10), bodyTimeout: Duration = .seconds(60),
        maxReportsPerCommit: Int = 512, rejectPreviewBytes: Int = 64 << 10, rejectCopiesMaxBytes: Int = 64 << 20,
        decodeWorkers: Int = System.coreCount, maxQueuedDecodes: Int? = nil, maxRequestsPerClient: Int = 16,
        publicMetrics: Bool = true, metricsListen: ListenAddress? = nil
    ) {
        self.listen = listen
        self.tls = tls
        self.trustProxy = trustProxy
        self.path = path.hasPrefix("/") ? path : "/" + path
        self.domains = Set(domains.map(PolicyDomainAllowlist.normalise))
        self.maxBody = maxBody
        self.maxDecompressed = maxDecompressed
        self.maxConnections = maxConnections
        self.idleTimeout = idleTimeout
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.maxReportsPerCommit = maxReportsPerCommit
        self.rejectPreviewBytes = max(0, rejectPreviewBytes)
        self.rejectCopiesMaxBytes = max(0, rejectCopiesMaxBytes)
        self.decodeWorkers = max(1, decodeWorkers)
        self.maxQueuedDecodes = max(0, maxQueuedDecodes ?? 8 * max(1, decodeWorkers))
        self.maxRequestsPerClient = max(1, maxRequestsPerClient)
        self.publicMetrics = publicMetrics
        self.metricsListen = metricsListen
    }

    /// The policy domain a request's path names under `--domain-from-path`: its last segment below the
    /// prefix, normalised as `policy-domain` is; nil when the option is off, "" when the path names none.
    package func pathDomain(_ requestPath: String) -> String? {
        guard domainFromPath, pathIsPrefix else { return nil }
        let below = requestPath.hasPrefix(path) ? requestPath.dropFirst(path.count) : ""
        let segment = below.split(separator: "/").last.map(String.init) ?? ""
        return PolicyDomainAllowlist.normalise(segment.removingPercentEncoding ?? segment)
    }

    /// The limits handed to the shared extractor.
    package var extractionLimits: ExtractionLimits {
        ExtractionLimits(maxDecompressedBytes: maxDecompressed, maxGzipLayers: 2)
    }
}

/// `HOST:PORT` as given to `--listen`: `127.0.0.1:8443`, `[::]:443`, `localhost:0` (port 0 picks a free port).
package struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    package var host: String
    package var port: Int

    package init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`; an IPv6 host goes in brackets. Nil when it is not of that form.
    package init?(_ text: String) {
        let hostPart: Substring
        let portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
            hostPart = text[text.index(after: text.startIndex)..<close]
            portPart = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else { return nil }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
        }
        guard !hostPart.isEmpty, let port = Int(portPart), (0...65535).contains(port) else { return nil }
        self.host = String(hostPart)
        self.port = port
    }

    package var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// Byte counts as people write them on a command line: `1048576`, `512K`, `1M`, `16MiB` (binary units).
package enum ByteCount {
    package static func parse(_ text: String) -> Int? {
        let lowered = text.lowercased().replacingOccurrences(of: "ib", with: "").replacingOccurrences(of: "b", with: "")
        let units: [(String, Int)] = [("k", 1 << 10), ("m", 1 << 20), ("g", 1 << 30)]
        for (suffix, factor) in units where lowered.hasSuffix(suffix) {
            guard let value = Int(lowered.dropLast()), value > 0 else { return nil }
            return value.multipliedReportingOverflow(by: factor).overflow ? nil : value * factor
        }
        guard let value = Int(lowered), value > 0 else { return nil }
        return value
    }
}
