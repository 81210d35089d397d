extension JSONValue {
    /// Convenience constructors for building output documents.
    public static func int(_ value: Int64) -> JSONValue {
        .number(JSONNumber(literal: String(value), int64: value, isIntegerLiteral: true))
    }

    public static func double(_ value: Double) -> JSONValue {
        .number(JSONNumber(literal: value.isFinite ? String(value) : "null", int64: nil, isIntegerLiteral: false))
    }

    public static func optionalString(_ value: String?) -> JSONValue {
        value.map(JSONValue.string) ?? .null
    }

    /// A canonical serialisation (members sorted by key, no insignificant white space, minimal escapes).
    ///
    /// Two files that hold the same report with different formatting, key order or a BOM give the same
    /// bytes, so the store's content hash treats them as the same report rather than a conflict.
    public func canonicalBytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        append(to: &out, sortKeys: true, indent: nil, level: 0)
        return out
    }

    /// Serialises for output: members in their order, optionally indented by two spaces per level.
    public func serialized(pretty: Bool = true) -> String {
        var out: [UInt8] = []
        append(to: &out, sortKeys: false, indent: pretty ? 2 : nil, level: 0)
        return String(decoding: out, as: UTF8.self)
    }

    private func newline(_ out: inout [UInt8], _ indent: Int?, _ level: Int) {
        guard let indent else { return }
        out.append(0x0A)
        out.append(contentsOf: repeatElement(0x20, count: indent * level))
    }

    private func append(to out: inout [UInt8], sortKeys: Bool, indent: Int?, level: Int) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let n): out.append(contentsOf: n.literal.utf8)
        case .string(let s): Self.appendQuoted(s, to: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (i, element) in elements.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(&out, indent, level + 1)
                element.append(to: &out, sortKeys: sortKeys, indent: indent, level: level + 1)
            }
            if !elements.isEmpty { newline(&out, indent, level) }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            let members = object.members
            // Sorting positions rather than members moves no strings; byte order keeps the canonical form
            // independent of Unicode normalisation.
            let order = sortKeys ? members.indices.sorted { String.utf8Order(members[$0].key, members[$1].key) < 0 } : Array(members.indices)
            for (i, position) in order.enumerated() {
                let member = members[position]
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(&out, indent, level + 1)
                Self.appendQuoted(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                if indent != nil { out.append(0x20) }
                member.value.append(to: &out, sortKeys: sortKeys, indent: indent, level: level + 1)
            }
            if !members.isEmpty { newline(&out, indent, level) }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func appendQuoted(_ string: String, to out: inout [UInt8]) {
        var string = string
        string.withUTF8 { bytes in
            out.append(UInt8(ascii: "\""))
            // Most report strings need no escaping: copy them whole.
            var needsEscape = false
            for byte in bytes where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                needsEscape = true
                break
            }
            guard needsEscape else {
                out.append(contentsOf: bytes)
                out.append(UInt8(ascii: "\""))
                return
            }
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
                case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
                case 0x0A: out.append(contentsOf: "\\n".utf8)
                case 0x0D: out.append(contentsOf: "\\r".utf8)
                case 0x09: out.append(contentsOf: "\\t".utf8)
                case 0..<0x20:
                    let digits = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: "\\u00".utf8)
                    out.append(digits[Int(byte >> 4)])
                    out.append(digits[Int(byte & 0xF)])
                default: out.append(byte)
                }
            }
            out.append(UInt8(ascii: "\""))
        }
    }
}
