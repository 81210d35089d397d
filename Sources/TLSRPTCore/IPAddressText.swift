/// The canonical text of an IP address, so that addresses written differently count as one.
///
/// RFC 8460 asks for `sending-mta-ip` and `receiving-ip` as a strict dotted quad or as RFC 5952
/// text, but its own example writes `2001:db8:abcd:0012::1`, and senders differ in case and in
/// zero compression. Grouping failures by IP needs one spelling per address.
///
/// Decisions:
/// - IPv4 must be a strict dotted quad (RFC 3986 `dec-octet`): four decimal octets 0–255 with no
///   leading zeros. `010.1.2.3` is refused, because it is ambiguous (octal in `inet_aton`), so the
///   caller keeps the raw text and flags it.
/// - IPv6 is written as RFC 5952 says: lower-case hex, no leading zeros, the longest run of two or
///   more zero groups compressed to `::` (the first run on a tie), a single zero group left as `0`.
/// - An embedded IPv4 tail (`::ffff:1.2.3.4`, `64:ff9b::192.0.2.1`) is accepted on input. On
///   output only IPv4-mapped addresses (`::ffff:0:0/96`) keep the dotted tail, as RFC 5952 §5
///   recommends; other addresses are written in hex. IPv4-mapped addresses are not turned into
///   plain IPv4: the sender saw an IPv6 socket, and that is worth keeping.
/// - Zone identifiers (`fe80::1%eth0`) are refused: a zone is local to the sender's host and
///   means nothing in a report, so such text is kept raw and flagged by the caller.
/// - Surrounding ASCII white space is ignored; anything else (brackets, ports, `IPv6:` prefixes)
///   makes the text "not an IP".
///
/// Pure Swift on the UTF-8 bytes (no `inet_pton`), because it runs per failure detail.
public enum IPAddressText {
    /// The canonical text of `raw`, or nil when `raw` is not an IPv4 or IPv6 address.
    public static func canonical(_ raw: String) -> String? {
        var text = raw
        return text.withUTF8 { bytes in
            var start = 0
            var end = bytes.count
            while start < end, HostName.isASCIISpace(bytes[start]) { start += 1 }
            while end > start, HostName.isASCIISpace(bytes[end - 1]) { end -= 1 }
            let body = UnsafeBufferPointer(rebasing: bytes[start..<end])
            if body.contains(UInt8(ascii: ":")) {
                guard let groups = parseIPv6(body) else { return nil }
                return render(groups)
            }
            guard parseIPv4(body) != nil else { return nil }
            // A valid strict dotted quad is already canonical.
            return start == 0 && end == bytes.count ? raw : String(decoding: body, as: UTF8.self)
        }
    }

    /// The address as a 32-bit number, or nil unless `bytes` is exactly a strict dotted quad.
    static func parseIPv4(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32? {
        var address: UInt32 = 0
        var octet: UInt32 = 0
        var digits = 0
        var dots = 0
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if digits > 0 && octet == 0 { return nil }  // leading zero
                octet = octet * 10 + UInt32(byte - UInt8(ascii: "0"))
                digits += 1
                if octet > 255 { return nil }
            case UInt8(ascii: "."):
                if digits == 0 || dots == 3 { return nil }
                address = address << 8 | octet
                octet = 0
                digits = 0
                dots += 1
            default:
                return nil
            }
        }
        guard digits > 0, dots == 3 else { return nil }
        return address << 8 | octet
    }

    /// The eight 16-bit groups of an RFC 4291 §2.2 text address, or nil.
    static func parseIPv6(_ bytes: UnsafeBufferPointer<UInt8>) -> SIMD8<UInt16>? {
        let colon = UInt8(ascii: ":")
        let end = bytes.count
        var groups = SIMD8<UInt16>()
        var count = 0
        var gapAt: Int? = nil  // number of groups written before the "::"
        var i = 0

        if end >= 2 && bytes[0] == colon && bytes[1] == colon {
            gapAt = 0
            i = 2
            if i == end { return groups }
        } else if end == 0 || bytes[0] == colon {
            return nil
        }

        while true {
            let groupStart = i
            var value: UInt32 = 0
            while i < end, let digit = hexValue(bytes[i]) {
                value = (value << 4) | UInt32(digit)
                i += 1
                if i - groupStart > 4 { break }  // too long; refused below
            }
            if i < end && bytes[i] == UInt8(ascii: ".") {
                // An IPv4 tail must end the address and takes two groups.
                guard count <= 6,
                    let v4 = parseIPv4(UnsafeBufferPointer(rebasing: bytes[groupStart..<end]))
                else { return nil }
                groups[count] = UInt16(v4 >> 16)
                groups[count + 1] = UInt16(v4 & 0xFFFF)
                count += 2
                break
            }
            let digits = i - groupStart
            guard digits >= 1, digits <= 4, count < 8 else { return nil }
            groups[count] = UInt16(value)
            count += 1
            if i == end { break }
            guard bytes[i] == colon else { return nil }  // also refuses "%zone"
            i += 1
            if i < end && bytes[i] == colon {
                guard gapAt == nil else { return nil }  // a second "::"
                gapAt = count
                i += 1
                if i == end { break }
            } else if i == end {
                return nil  // a single trailing colon
            }
        }

        guard let gapAt else { return count == 8 ? groups : nil }
        // "::" stands for at least one zero group.
        guard count <= 7 else { return nil }
        let tail = count - gapAt
        var expanded = SIMD8<UInt16>()
        for k in 0..<gapAt { expanded[k] = groups[k] }
        for k in 0..<tail { expanded[8 - tail + k] = groups[gapAt + k] }
        return expanded
    }

    /// RFC 5952 text of eight groups.
    static func render(_ groups: SIMD8<UInt16>) -> String {
        if groups[0] == 0 && groups[1] == 0 && groups[2] == 0 && groups[3] == 0 && groups[4] == 0 && groups[5] == 0xFFFF {
            let v4 = UInt32(groups[6]) << 16 | UInt32(groups[7])
            return "::ffff:\(v4 >> 24).\(v4 >> 16 & 0xFF).\(v4 >> 8 & 0xFF).\(v4 & 0xFF)"
        }
        // The longest run of zero groups, at least two long; the first on a tie.
        var bestStart = -1
        var bestLength = 1
        var runStart = -1
        for k in 0...8 {
            if k < 8 && groups[k] == 0 {
                if runStart < 0 { runStart = k }
            } else if runStart >= 0 {
                if k - runStart > bestLength {
                    bestStart = runStart
                    bestLength = k - runStart
                }
                runStart = -1
            }
        }
        var text = ""
        text.reserveCapacity(39)
        var k = 0
        while k < 8 {
            if k == bestStart {
                text += "::"
                k += bestLength
                continue
            }
            if !text.isEmpty && !text.hasSuffix(":") { text += ":" }
            text += String(groups[k], radix: 16)
            k += 1
        }
        return text
    }

    /// The value of one hex digit, either case.
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
