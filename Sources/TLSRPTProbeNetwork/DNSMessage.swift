package import TLSRPTCore

/// The record types the probe asks for.
package enum DNSRecordType: UInt16, Sendable {
    case a = 1
    case cname = 5
    case mx = 15
    case txt = 16
    case aaaa = 28
    case tlsa = 52
}

/// One resource record of an answer, decoded for the types the probe reads.
package enum DNSRecord: Sendable, Equatable {
    case a(name: String, address: String)
    case aaaa(name: String, address: String)
    case cname(name: String, target: String)
    case mx(name: String, preference: Int, exchange: String)
    /// The character-strings of one TXT record, joined (RFC 7208 §3.3, RFC 8461 §3.1).
    case txt(name: String, text: String)
    case tlsa(name: String, record: TLSARecord)
    case other(name: String, type: UInt16)
}

/// A DNS query and the parts of a response the probe needs (RFC 1035 §4), with EDNS0 and the DO bit so that
/// a validating resolver says whether it vouched for the answer (the AD bit, RFC 4035 §3.2.3).
package struct DNSMessage: Sendable, Equatable {
    package var id: UInt16
    /// RCODE: 0 no error, 3 NXDOMAIN, 2 SERVFAIL, …
    package var responseCode: Int
    package var truncated: Bool
    /// AD: the resolver validated the answer with DNSSEC.
    package var authenticated: Bool
    package var answers: [DNSRecord]

    /// A recursive query for `name` and `type`, asking for DNSSEC status.
    package static func query(id: UInt16, name: String, type: DNSRecordType) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes += be16(id)
        bytes += [0x01, 0x20]  // RD, AD (RFC 6840 §5.7: ask for the AD bit)
        bytes += be16(1) + be16(0) + be16(0) + be16(1)
        for label in name.split(separator: ".") {
            let utf8 = Array(label.utf8.prefix(63))
            bytes.append(UInt8(utf8.count))
            bytes += utf8
        }
        bytes.append(0)
        bytes += be16(type.rawValue) + be16(1)
        // OPT: root name, type 41, UDP payload 1232, extended RCODE 0, version 0, DO bit, no options.
        bytes += [0x00] + be16(41) + be16(1232) + [0x00, 0x00, 0x80, 0x00] + be16(0)
        return bytes
    }

    /// Reads a response; nil when it is malformed.
    package static func parse(_ bytes: [UInt8]) -> DNSMessage? {
        var reader = Reader(bytes: bytes)
        guard let id = reader.u16(), let flags = reader.u16(), let questions = reader.u16(), let answerCount = reader.u16(),
            reader.u16() != nil, reader.u16() != nil
        else { return nil }
        for _ in 0..<questions {
            guard reader.name() != nil, reader.u16() != nil, reader.u16() != nil else { return nil }
        }
        var answers: [DNSRecord] = []
        for _ in 0..<answerCount {
            guard let record = reader.record() else { return nil }
            answers.append(record)
        }
        return DNSMessage(
            id: id, responseCode: Int(flags & 0x000F), truncated: flags & 0x0200 != 0, authenticated: flags & 0x0020 != 0, answers: answers)
    }

    private static func be16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }

    /// A cursor over a message, following name compression pointers (RFC 1035 §4.1.4) a bounded number of times.
    struct Reader {
        let bytes: [UInt8]
        var offset = 0

        mutating func u8() -> UInt8? {
            guard offset < bytes.count else { return nil }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func u16() -> UInt16? {
            guard let high = u8(), let low = u8() else { return nil }
            return UInt16(high) << 8 | UInt16(low)
        }

        mutating func u32() -> UInt32? {
            guard let high = u16(), let low = u16() else { return nil }
            return UInt32(high) << 16 | UInt32(low)
        }

        /// A domain name, lower-case, without the trailing dot.
        mutating func name() -> String? {
            var labels: [String] = []
            var position = offset
            var jumped = false
            for _ in 0..<128 {
                guard position < bytes.count else { return nil }
                let length = Int(bytes[position])
                if length == 0 {
                    if !jumped { offset = position + 1 }
                    return labels.joined(separator: ".").lowercased()
                }
                if length & 0xC0 == 0xC0 {
                    guard position + 1 < bytes.count else { return nil }
                    if !jumped { offset = position + 2 }
                    jumped = true
                    position = (length & 0x3F) << 8 | Int(bytes[position + 1])
                    continue
                }
                guard length < 64, position + 1 + length <= bytes.count else { return nil }
                labels.append(String(decoding: bytes[(position + 1)..<(position + 1 + length)], as: UTF8.self))
                position += 1 + length
            }
            return nil
        }

        mutating func record() -> DNSRecord? {
            guard let owner = name(), let type = u16(), u16() != nil, u32() != nil, let length = u16() else { return nil }
            let end = offset + Int(length)
            guard end <= bytes.count else { return nil }
            defer { offset = end }
            let data = Array(bytes[offset..<end])
            switch DNSRecordType(rawValue: type) {
            case .a where data.count == 4:
                return .a(name: owner, address: data.map(String.init).joined(separator: "."))
            case .aaaa where data.count == 16:
                let groups = stride(from: 0, to: 16, by: 2).map { String(UInt16(data[$0]) << 8 | UInt16(data[$0 + 1]), radix: 16) }
                return .aaaa(name: owner, address: groups.joined(separator: ":"))
            case .cname:
                guard let target = name() else { return nil }
                return .cname(name: owner, target: target)
            case .mx:
                guard let preference = u16(), let exchange = name() else { return nil }
                return .mx(name: owner, preference: Int(preference), exchange: exchange)
            case .txt:
                var text: [UInt8] = []
                var index = 0
                while index < data.count {
                    let count = Int(data[index])
                    guard index + 1 + count <= data.count else { return nil }
                    text += data[(index + 1)..<(index + 1 + count)]
                    index += 1 + count
                }
                return .txt(name: owner, text: String(decoding: text, as: UTF8.self))
            case .tlsa where data.count >= 3:
                let hex = data.dropFirst(3).map { byte in
                    String(byte, radix: 16, uppercase: true).count == 1
                        ? "0" + String(byte, radix: 16, uppercase: true) : String(byte, radix: 16, uppercase: true)
                }
                return .tlsa(name: owner, record: TLSARecord(usage: data[0], selector: data[1], matchingType: data[2], data: hex.joined()))
            default:
                return .other(name: owner, type: type)
            }
        }
    }
}
