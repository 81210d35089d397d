import Foundation

/// The one spelling of a DNS host name that the store and the analysis compare.
///
/// Reports name the same MX as `Mail.Example.de.`, `mail.example.de` or, for an internationalised
/// domain, in U-labels (`bücher.example`) although RFC 8460 asks for A-labels. Counting them as
/// one host needs one canonical text: trimmed, lower-case, without the root's trailing dot, and
/// in A-labels (`xn--bcher-kva.example`).
///
/// Decisions:
/// - Only labels that contain non-ASCII are converted (RFC 3492 Punycode, with the `xn--` prefix).
///   Existing A-labels and ASCII labels are left as they are; nothing is validated, because a
///   malformed name is still evidence and the caller keeps it.
/// - Before conversion a non-ASCII name is lower-cased, put into Unicode NFC, and the ideographic
///   full stops `。` `．` `｡` are read as dots, as browsers and UTS 46 do. There is no full UTS 46
///   mapping table: `ß` stays `ß` (IDNA 2008, `xn--zca`), where IDNA 2003 would make it `ss`.
/// - Exactly one trailing dot is removed: `a.example.` is the fully-qualified form of
///   `a.example`; `a.example..` is broken, and keeping one dot shows that.
/// - Empty input (senders send `""` for policy-fetch errors) stays empty.
public enum HostName {
    /// Returns the canonical form of `raw` (see the type's documentation).
    ///
    /// Runs once per failure detail, so the common case (already canonical ASCII) returns the
    /// input without building a new string.
    public static func normalise(_ raw: String) -> String {
        var text = trimmedLowercased(raw)
        if text.utf8.contains(where: { $0 >= 0x80 }) {
            text = aLabels(of: text)
        }
        if text.utf8.last == UInt8(ascii: ".") {
            text.removeLast()
        }
        return text
    }

    /// Converts every label holding non-ASCII into its A-label; ASCII labels are kept.
    private static func aLabels(of text: String) -> String {
        let mapped = String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { scalar in
                    switch scalar.value {
                    case 0x3002, 0xFF0E, 0xFF61: "."  // ideographic, fullwidth and halfwidth full stops
                    default: scalar
                    }
                }
            )
        ).precomposedStringWithCanonicalMapping
        let labels = mapped.split(separator: ".", omittingEmptySubsequences: false).map { label -> String in
            guard label.utf8.contains(where: { $0 >= 0x80 }),
                let encoded = Punycode.encode(label.unicodeScalars.map(\.value))
            else { return String(label) }
            return "xn--" + encoded
        }
        return labels.joined(separator: ".")
    }

    /// Trims white space and lower-cases: the first step of every name-like normalisation in the
    /// core (host names, MX patterns, result types, policy keywords).
    ///
    /// ASCII input, by far the common case, is handled byte by byte; other input goes through
    /// Foundation's Unicode-aware trimming and `lowercased()`.
    static func trimmedLowercased(_ raw: String) -> String {
        let utf8 = raw.utf8
        var hasUpper = false
        for byte in utf8 {
            if byte >= 0x80 { return raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() }
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { hasUpper = true }
        }
        guard let first = utf8.first, let last = utf8.last else { return raw }
        if !hasUpper && !isASCIISpace(first) && !isASCIISpace(last) { return raw }
        return trimmedLowercasedASCII(utf8[...])
    }

    /// Substring variant of `trimmedLowercased(_:)`, for callers that split lines.
    static func trimmedLowercased(_ raw: Substring) -> String {
        if raw.utf8.contains(where: { $0 >= 0x80 }) {
            return raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        }
        return trimmedLowercasedASCII(raw.utf8)
    }

    private static func trimmedLowercasedASCII(_ utf8: Substring.UTF8View) -> String {
        var start = utf8.startIndex
        var end = utf8.endIndex
        while start < end, isASCIISpace(utf8[start]) { start = utf8.index(after: start) }
        while end > start, isASCIISpace(utf8[utf8.index(before: end)]) { end = utf8.index(before: end) }
        let bytes = utf8[start..<end]
        return String(unsafeUninitializedCapacity: bytes.count) { buffer in
            var written = 0
            for byte in bytes {
                buffer[written] = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
                written += 1
            }
            return written
        }
    }

    /// Space, tab, LF, VT, FF, CR.
    static func isASCIISpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }
}

extension HostName {
    /// RFC 3492 Punycode encoding, the bootstring that turns a U-label into the part of an A-label
    /// after `xn--`. Only the encoder: reports are compared in A-labels, never shown decoded.
    enum Punycode {
        private static let base = 36
        private static let tMin = 1
        private static let tMax = 26
        private static let skew = 38
        private static let damp = 700
        private static let initialBias = 72
        private static let initialN = 0x80

        /// Encodes code points; nil only on arithmetic overflow (inputs far beyond any DNS label).
        static func encode(_ input: [UInt32]) -> String? {
            var output: [UInt8] = input.compactMap { $0 < 0x80 ? UInt8($0) : nil }
            let basicCount = output.count
            var handled = basicCount
            if basicCount > 0 { output.append(UInt8(ascii: "-")) }

            var n = initialN
            var delta = 0
            var bias = initialBias
            while handled < input.count {
                // The smallest code point not handled yet.
                guard let m = input.lazy.map({ Int($0) }).filter({ $0 >= n }).min() else { return nil }
                let (step, overflow1) = (m - n).multipliedReportingOverflow(by: handled + 1)
                let (sum, overflow2) = delta.addingReportingOverflow(step)
                if overflow1 || overflow2 { return nil }
                delta = sum
                n = m
                for scalar in input {
                    let c = Int(scalar)
                    if c < n {
                        delta += 1
                        if delta == Int.max { return nil }
                    }
                    if c == n {
                        var q = delta
                        var k = base
                        while true {
                            let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                            if q < t { break }
                            output.append(digit(t + (q - t) % (base - t)))
                            q = (q - t) / (base - t)
                            k += base
                        }
                        output.append(digit(q))
                        bias = adapt(delta: delta, pointCount: handled + 1, isFirst: handled == basicCount)
                        delta = 0
                        handled += 1
                    }
                }
                delta += 1
                n += 1
            }
            return String(decoding: output, as: UTF8.self)
        }

        private static func digit(_ value: Int) -> UInt8 {
            value < 26 ? UInt8(ascii: "a") + UInt8(value) : UInt8(ascii: "0") + UInt8(value - 26)
        }

        private static func adapt(delta: Int, pointCount: Int, isFirst: Bool) -> Int {
            var delta = isFirst ? delta / damp : delta / 2
            delta += delta / pointCount
            var k = 0
            while delta > ((base - tMin) * tMax) / 2 {
                delta /= base - tMin
                k += base
            }
            return k + (base - tMin + 1) * delta / (delta + skew)
        }
    }
}
