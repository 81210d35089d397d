/// Whether a certificate's DNS name covers a host (RFC 6125 §6.4): equal ignoring case and a trailing dot,
/// or a `*.` wildcard standing for exactly one whole left-most label.
package enum CertificateName {
    package static func matches(pattern: String, host: String) -> Bool {
        let pattern = normal(pattern)
        let host = normal(host)
        guard pattern.hasPrefix("*.") else { return pattern == host }
        guard let dot = host.firstIndex(of: "."), dot != host.startIndex else { return false }
        return host[host.index(after: dot)...] == pattern.dropFirst(2)
    }

    private static func normal(_ name: String) -> String {
        let lower = name.lowercased()
        return lower.hasSuffix(".") ? String(lower.dropLast()) : lower
    }
}
