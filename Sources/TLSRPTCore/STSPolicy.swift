/// The `mode` of an MTA-STS policy (RFC 8461 §3.2).
public enum STSMode: String, Sendable {
    /// Do not deliver to an MX that fails the `mx` match or certificate validation.
    case enforce
    /// Deliver anyway, but report failures.
    case testing
    /// Act as if there were no policy; used to retire MTA-STS.
    case none
}

/// An MTA-STS policy as a sender quoted it in a report's `policy-string`, read leniently.
///
/// RFC 8460 has senders copy the policy they applied, one line per array element, errors
/// included. That copy is the best evidence of what senders actually saw, so the parser never
/// fails: it keeps what it can read and describes everything wrong in ``problems``, in words a
/// postmaster can act on. A policy with no problems is one RFC 8461 §3.2 accepts.
///
/// Decisions (RFC 8461 §3.2 and the digest §7.3):
/// - Elements are split at CR and LF first: draft-era senders sent the policy as one string.
///   Blank lines are skipped silently.
/// - Each line is split at its first colon; spaces and tabs around key and value are dropped.
/// - Keys are matched case-sensitively, as the RFC's ABNF says. A key that matches only when
///   lower-cased (`Mode`) is used anyway and reported as a problem. The same holds for `mode`
///   values (`Enforce`); ``modeText`` keeps the value as sent either way.
/// - The first `version`, `mode` and `max_age` win, and each repeat is a problem. Every `mx` is
///   collected, normalised as an ``MXPattern``.
/// - `max_age` is read as an unsigned 64-bit number of seconds; a value above 31557600 is kept
///   and reported; a value too large for 64 bits, or not a number, is reported and left nil.
/// - Unknown keys are ignored by RFC 8461, so they are listed in ``unknownKeys`` but are not
///   problems.
/// - A missing `mx` is a problem in modes `enforce` and `testing` only; in `none` it is allowed.
public struct STSPolicy: Hashable, Sendable {
    /// The first `version` value as sent; valid policies say `STSv1`.
    public var version: String?
    /// The first `mode`, when it names a known mode (in any case).
    public var mode: STSMode?
    /// The first `mode` value as sent, e.g. `report` from early drafts.
    public var modeText: String?
    /// Every `mx` pattern, in order, normalised (lower-case, no trailing dot, A-labels).
    public var mx: [String]
    /// The first `max_age` in seconds, when it is a number that fits 64 bits.
    public var maxAge: UInt64?
    /// Keys RFC 8461 does not define, as sent, each once, in order of appearance.
    public var unknownKeys: [String]
    /// What is wrong with the policy, one human sentence each; empty for a valid policy.
    public var problems: [String]

    /// The largest `max_age` RFC 8461 allows: 31557600 seconds, about one year.
    public static let maxAgeLimit: UInt64 = 31_557_600

    public init(
        version: String? = nil,
        mode: STSMode? = nil,
        modeText: String? = nil,
        mx: [String] = [],
        maxAge: UInt64? = nil,
        unknownKeys: [String] = [],
        problems: [String] = []
    ) {
        self.version = version
        self.mode = mode
        self.modeText = modeText
        self.mx = mx
        self.maxAge = maxAge
        self.unknownKeys = unknownKeys
        self.problems = problems
    }

    /// Whether RFC 8461 accepts the policy as quoted.
    public var isValid: Bool { problems.isEmpty }

    /// The `mx` patterns, ready for matching.
    public var mxPatterns: [MXPattern] { mx.map(MXPattern.init) }

    /// Whether an MX host name is covered by one of the policy's `mx` patterns.
    public func covers(mxHost host: String) -> Bool {
        mx.contains { MXPattern($0).matches(host) }
    }

    /// Reads a `policy-string` array (see the type's documentation for the rules).
    public static func parse(_ policyStrings: [String]) -> STSPolicy {
        var policy = STSPolicy()
        var sawMaxAge = false
        // A set beside the list: a hostile policy-string of 100,000 distinct unknown keys made the search of
        // the list quadratic.
        var unknownKeys = Set<String>()
        for line in policyLines(policyStrings) {
            guard let colon = line.utf8.firstIndex(of: UInt8(ascii: ":")) else {
                policy.problems.append("line '\(line)' has no colon")
                continue
            }
            let rawKey = trimmed(line[..<colon])
            let value = String(trimmed(line[line.utf8.index(after: colon)...]))
            guard !rawKey.isEmpty else {
                policy.problems.append("line '\(line)' has no key before its colon")
                continue
            }
            guard let key = Key(rawValue: String(rawKey)) ?? Key(rawValue: rawKey.lowercased()) else {
                if unknownKeys.insert(String(rawKey)).inserted { policy.unknownKeys.append(String(rawKey)) }
                continue
            }
            if rawKey != key.rawValue {
                policy.problems.append("key '\(rawKey)' should be written '\(key.rawValue)'")
            }
            switch key {
            case .version:
                guard policy.version == nil else {
                    policy.problems.append("duplicate version: first wins")
                    continue
                }
                policy.version = value
                if value != "STSv1" { policy.problems.append("version '\(value)' is not STSv1") }
            case .mode:
                guard policy.modeText == nil else {
                    policy.problems.append("duplicate mode: first wins")
                    continue
                }
                policy.modeText = value
                if let mode = STSMode(rawValue: value) {
                    policy.mode = mode
                } else if let mode = STSMode(rawValue: value.lowercased()) {
                    policy.mode = mode
                    policy.problems.append("mode '\(value)' should be written '\(mode.rawValue)'")
                } else {
                    policy.problems.append("mode '\(value)' is not one of enforce, testing, none")
                }
            case .mx:
                let pattern = MXPattern(value)
                guard !pattern.text.isEmpty else {
                    policy.problems.append("line '\(line)' has no mx pattern")
                    continue
                }
                if pattern.text.utf8.dropFirst(pattern.isWildcard ? 1 : 0).contains(UInt8(ascii: "*")) {
                    policy.problems.append("mx pattern '\(pattern.text)' uses '*' other than as its whole left-most label")
                }
                policy.mx.append(pattern.text)
            case .maxAge:
                guard !sawMaxAge else {
                    policy.problems.append("duplicate max_age: first wins")
                    continue
                }
                sawMaxAge = true
                switch parseSeconds(value) {
                case .notANumber:
                    policy.problems.append("max_age '\(value)' is not a number of seconds")
                case .tooLarge:
                    policy.problems.append("max_age \(value) exceeds \(maxAgeLimit)")
                case .seconds(let seconds):
                    policy.maxAge = seconds
                    if seconds > maxAgeLimit { policy.problems.append("max_age \(value) exceeds \(maxAgeLimit)") }
                }
            }
        }
        if policy.version == nil { policy.problems.append("version missing") }
        if policy.modeText == nil { policy.problems.append("mode missing") }
        if !sawMaxAge { policy.problems.append("max_age missing") }
        if policy.mx.isEmpty, let mode = policy.mode, mode != .none {
            policy.problems.append("no mx: line while mode is \(mode.rawValue)")
        }
        return policy
    }

    /// The keys RFC 8461 §3.2 defines.
    private enum Key: String {
        case version, mode, mx
        case maxAge = "max_age"
    }

    private enum Seconds {
        case seconds(UInt64)
        case tooLarge
        case notANumber
    }

    /// Digits only: no sign, no spaces inside, no unit (`1d` is not a number here).
    private static func parseSeconds(_ text: String) -> Seconds {
        guard !text.isEmpty else { return .notANumber }
        var value: UInt64 = 0
        var overflowed = false
        for byte in text.utf8 {
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return .notANumber }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            if o1 || o2 { overflowed = true }
            value = sum
        }
        return overflowed ? .tooLarge : .seconds(value)
    }

    /// The lines of a `policy-string` array: elements split at CR and LF, each line trimmed of
    /// spaces and tabs, blank lines dropped. Shared with ``TLSARecord/parseAll(_:)``.
    static func policyLines(_ policyStrings: [String]) -> [Substring] {
        var lines: [Substring] = []
        lines.reserveCapacity(policyStrings.count)
        for element in policyStrings {
            for piece in element.utf8.split(whereSeparator: { $0 == 0x0A || $0 == 0x0D }) {
                let line = trimmed(Substring(piece))
                if !line.isEmpty { lines.append(line) }
            }
        }
        return lines
    }

    private static func trimmed(_ text: Substring) -> Substring {
        let utf8 = text.utf8
        guard let first = utf8.firstIndex(where: { !HostName.isASCIISpace($0) }),
            let last = utf8.lastIndex(where: { !HostName.isASCIISpace($0) })
        else { return text[text.endIndex...] }
        // Byte indices: the byte after the last non-space one is ASCII space or the end, so the
        // slice never cuts a scalar in two.
        return text[first..<utf8.index(after: last)]
    }
}
