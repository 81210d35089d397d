/// One `mx` pattern of an MTA-STS policy, and the RFC 8461 §4.1 rule for matching an MX host.
///
/// The diagnosis asks "does the MX the sender tried match the policy?": a host that matches no
/// pattern is the classic CNAME mistake (the policy names the alias, the sender checks the target).
///
/// A pattern is either an exact host name or `*.` followed by a suffix. The wildcard stands for
/// exactly one left-most label: `*.example.com` matches `mail.example.com`, but neither
/// `example.com` nor `a.b.example.com`. Matching ignores case and a trailing dot.
///
/// Decisions:
/// - The text is normalised like a host name (``HostName/normalise(_:)``: trimmed, lower-case,
///   no trailing dot, U-labels as A-labels), after removing a leading `mx:` that one sender left
///   inside `mx-host` (`"mx: mx.server.com"`).
/// - Only a leading `*.` is a wildcard. A `*` anywhere else, or a bare `*`, is compared as text,
///   so it matches nothing real; ``STSPolicy`` flags such patterns.
/// - An empty pattern matches nothing, not even an empty host name.
public struct MXPattern: Hashable, Sendable, CustomStringConvertible {
    /// The normalised pattern, e.g. `*.example.com` or `mx1.example.com`.
    public let text: String

    /// Reads a pattern as a policy or an `mx-host` entry spells it.
    public init(_ text: String) {
        var pattern = HostName.trimmedLowercased(text)
        if pattern.hasPrefix("mx:") {
            pattern.removeFirst(3)
        }
        self.text = HostName.normalise(pattern)
    }

    /// Whether the pattern starts with the `*.` wildcard label.
    public var isWildcard: Bool {
        text.utf8.starts(with: "*.".utf8)
    }

    /// Whether `host` (an MX host name as reported, any case, trailing dot allowed) is covered by
    /// this pattern.
    public func matches(_ host: String) -> Bool {
        guard !text.isEmpty else { return false }
        let host = HostName.normalise(host)
        guard isWildcard else { return host == text }
        // ".example.com": the pattern without its "*".
        let suffix = text.utf8.dropFirst()
        let hostBytes = host.utf8
        guard hostBytes.count > suffix.count, hostBytes.reversed().starts(with: suffix.reversed()) else { return false }
        let label = hostBytes.prefix(hostBytes.count - suffix.count)
        return !label.contains(UInt8(ascii: "."))
    }

    public var description: String { text }
}
