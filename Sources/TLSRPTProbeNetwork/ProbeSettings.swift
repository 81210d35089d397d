package import Foundation
package import NIOCore

/// Where and how long the probe looks: the options of `tlsrpt probe`, read and checked once.
package struct ProbeSettings: Sendable {
    /// The DNS resolver asked, by address (`--resolver`, else the first `nameserver` of /etc/resolv.conf).
    package var resolver: SocketAddress
    /// The port SMTP is probed on (25; tests use a high port on loopback).
    package var smtpPort: Int
    /// The port the policy is fetched from (443).
    package var httpsPort: Int
    /// Extra trust anchors, PEM, for MX certificates and the policy host (`--ca-file`).
    package var caFile: String?
    /// How long each network step may take.
    package var timeout: TimeAmount
    /// The name the probe gives in EHLO.
    package var ehloName: String

    package init(
        resolver: SocketAddress, smtpPort: Int = 25, httpsPort: Int = 443, caFile: String? = nil, timeout: TimeAmount = .seconds(10), ehloName: String
    ) {
        self.resolver = resolver
        self.smtpPort = smtpPort
        self.httpsPort = httpsPort
        self.caFile = caFile
        self.timeout = timeout
        self.ehloName = ehloName
    }

    /// `HOST:PORT`, `[V6]:PORT`, or a bare address (port 53).
    package static func resolverAddress(_ text: String) throws(ProbeError) -> SocketAddress {
        var host = text
        var port = 53
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if rest.hasPrefix(":") {
                guard let number = Int(rest.dropFirst()) else { throw ProbeError(.resolver, "--resolver \(text): the port is not a number") }
                port = number
            }
        } else if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
            host = String(text[..<colon])
            guard let number = Int(text[text.index(after: colon)...]) else {
                throw ProbeError(.resolver, "--resolver \(text): the port is not a number")
            }
            port = number
        }
        guard (1...65535).contains(port) else { throw ProbeError(.resolver, "--resolver \(text): port \(port) is out of range") }
        do {
            return try SocketAddress(ipAddress: host, port: port)
        } catch {
            throw ProbeError(.resolver, "--resolver \(text): \(host) is not an IP address (give the resolver's address, e.g. 127.0.0.1:53)")
        }
    }

    /// The first `nameserver` of a resolv.conf.
    package static func systemResolver(resolvConf path: String = "/etc/resolv.conf") throws(ProbeError) -> SocketAddress {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ProbeError(.resolver, "cannot read \(path) to find a resolver: give one with --resolver HOST:PORT")
        }
        for line in text.split(whereSeparator: \.isNewline) {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if fields.count >= 2, fields[0] == "nameserver", let address = try? SocketAddress(ipAddress: String(fields[1]), port: 53) {
                return address
            }
        }
        throw ProbeError(.resolver, "\(path) names no nameserver: give one with --resolver HOST:PORT")
    }
}
