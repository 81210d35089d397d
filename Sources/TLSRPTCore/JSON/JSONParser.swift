/// A strict, bounded JSON parser (RFC 8259) over UTF-8 bytes.
///
/// Why our own: report counts must be exact 64-bit integers (Foundation turns `5.0`, `true` and `1e400`
/// into look-alike `NSNumber`s), hostile input must hit a depth limit instead of the stack, and a
/// rejection should name the byte where the document went wrong. It also skips a UTF-8 byte order mark,
/// which some Windows-made reports carry, rejects duplicate member names (I-JSON forbids them and they make
/// a report ambiguous) and rejects data after the document.
public struct JSONParser: Sendable {
    /// Nesting beyond this is refused. Real reports nest five levels deep.
    public var maxDepth: Int
    /// Values beyond this are refused. A parsed value takes about 32 bytes plus its array slot, so 16 MiB of
    /// `[0,0,0,...]` (8 million values) would need 400 MB; a million keeps the tree under 100 MB. A real
    /// report at the 16 MiB cap has about half a million (7 per failure detail of some 250 bytes).
    public var maxValues: Int

    public init(maxDepth: Int = 64, maxValues: Int = 1_000_000) {
        self.maxDepth = maxDepth
        self.maxValues = maxValues
    }

    public func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer throws(JSONParseError) -> JSONValue in
            var reader = Reader(bytes: buffer, maxDepth: maxDepth, maxValues: maxValues)
            return try reader.parseDocument()
        }
    }
}

private struct Reader {
    let bytes: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    let maxValues: Int
    var index = 0
    var depth = 0
    var values = 0
    static let linearScanMembers = 16

    init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int, maxValues: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
        self.maxValues = maxValues
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        skipWhitespace()
        guard index < bytes.count else {
            throw JSONParseError(.empty, at: index, "the input is empty")
        }
        let value = try parseValue()
        skipWhitespace()
        if index < bytes.count {
            throw JSONParseError(.trailingData, at: index, "unexpected data after the end of the JSON document")
        }
        return value
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard index < bytes.count else { throw unexpectedEnd() }
        values += 1
        if values > maxValues {
            throw JSONParseError(.tooManyValues, at: index, "more than \(maxValues) values in one document")
        }
        switch bytes[index] {
        case UInt8(ascii: "{"): return .object(try parseObject())
        case UInt8(ascii: "["): return .array(try parseArray())
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw unexpected("a JSON value")
        }
    }

    mutating func enter() throws(JSONParseError) {
        depth += 1
        if depth > maxDepth {
            throw JSONParseError(.tooDeep, at: index, "nesting deeper than \(maxDepth) levels")
        }
    }

    mutating func parseObject() throws(JSONParseError) -> JSONObject {
        try enter()
        defer { depth -= 1 }
        index += 1
        var members: [(key: String, value: JSONValue)] = []
        // Duplicate names are found by a linear scan while the object is small (every real one is) and by a
        // set beyond that: a scan alone made a hostile object of a million members quadratic, hours of CPU.
        var names: Set<String> = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return JSONObject(members)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw unexpectedEnd() }
            guard bytes[index] == UInt8(ascii: "\"") else { throw unexpected("a member name in double quotes") }
            let keyOffset = index
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count else { throw unexpectedEnd() }
            guard bytes[index] == UInt8(ascii: ":") else { throw unexpected("':' after a member name") }
            index += 1
            skipWhitespace()
            let value = try parseValue()
            let isDuplicate: Bool
            if members.count < Self.linearScanMembers {
                isDuplicate = members.contains { $0.key == key }
            } else {
                if names.isEmpty { names = Set(members.map(\.key)) }
                isDuplicate = !names.insert(key).inserted
            }
            if isDuplicate {
                let shown = key.utf8.count > 60 ? String(key.prefix(60)) + "…" : key
                throw JSONParseError(.duplicateKey, at: keyOffset, "member \"\(shown)\" appears twice in one object")
            }
            members.append((key, value))
            skipWhitespace()
            guard index < bytes.count else { throw unexpectedEnd() }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return JSONObject(members)
            default: throw unexpected("',' or '}' in an object")
            }
        }
    }

    mutating func parseArray() throws(JSONParseError) -> [JSONValue] {
        try enter()
        defer { depth -= 1 }
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return elements
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw unexpectedEnd() }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return elements
            default: throw unexpected("',' or ']' in an array")
            }
        }
    }

    mutating func parseString() throws(JSONParseError) -> String {
        let start = index
        index += 1
        let contentStart = index
        // Fast path: no escapes, so the bytes between the quotes are the string.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: bytes[contentStart..<index])
                index += 1
                guard let string = String(validating: slice, as: UTF8.self) else {
                    throw JSONParseError(.invalidUTF8, at: contentStart, "a string is not valid UTF-8")
                }
                return string
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 {
                throw JSONParseError(.controlCharacterInString, at: index, "a control character (0x\(hex(byte))) inside a string")
            }
            index += 1
        }
        guard index < bytes.count else {
            throw JSONParseError(.unexpectedEnd, at: start, "a string that is never closed")
        }
        // Slow path with escapes.
        var scratch = Array(UnsafeBufferPointer(rebasing: bytes[contentStart..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let string = String(validating: scratch, as: UTF8.self) else {
                    throw JSONParseError(.invalidUTF8, at: contentStart, "a string is not valid UTF-8")
                }
                return string
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { break }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(escape)
                case UInt8(ascii: "b"): scratch.append(0x08)
                case UInt8(ascii: "f"): scratch.append(0x0C)
                case UInt8(ascii: "n"): scratch.append(0x0A)
                case UInt8(ascii: "r"): scratch.append(0x0D)
                case UInt8(ascii: "t"): scratch.append(0x09)
                case UInt8(ascii: "u"): try appendUnicodeEscape(to: &scratch)
                default:
                    throw JSONParseError(.invalidEscape, at: index - 2, "invalid escape sequence in a string")
                }
            default:
                if byte < 0x20 {
                    throw JSONParseError(.controlCharacterInString, at: index, "a control character (0x\(hex(byte))) inside a string")
                }
                scratch.append(byte)
                index += 1
            }
        }
        throw JSONParseError(.unexpectedEnd, at: start, "a string that is never closed")
    }

    mutating func readHex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw unexpectedEnd() }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw JSONParseError(.invalidEscape, at: index, "invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    mutating func appendUnicodeEscape(to scratch: inout [UInt8]) throws(JSONParseError) {
        let escapeOffset = index - 2
        var scalarValue = try readHex4()
        if (0xD800...0xDBFF).contains(scalarValue) {
            // A high surrogate must be followed by an escaped low surrogate.
            guard index + 2 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw JSONParseError(.invalidEscape, at: escapeOffset, "unpaired UTF-16 surrogate in a \\u escape")
            }
            index += 2
            let low = try readHex4()
            guard (0xDC00...0xDFFF).contains(low) else {
                throw JSONParseError(.invalidEscape, at: escapeOffset, "unpaired UTF-16 surrogate in a \\u escape")
            }
            scalarValue = 0x10000 + ((scalarValue - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(scalarValue) else {
            throw JSONParseError(.invalidEscape, at: escapeOffset, "unpaired UTF-16 surrogate in a \\u escape")
        }
        scratch.append(contentsOf: UTF8.encode(scalar)!)
    }

    mutating func parseNumber() throws(JSONParseError) -> JSONNumber {
        let start = index
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        let digitsStart = index
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        let integerDigits = index - digitsStart
        guard integerDigits > 0 else { throw JSONParseError(.invalidNumber, at: start, "a number without digits") }
        if integerDigits > 1, bytes[digitsStart] == UInt8(ascii: "0") {
            throw JSONParseError(.invalidNumber, at: start, "a number with a leading zero")
        }
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            let fractionStart = index
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            guard index > fractionStart else { throw JSONParseError(.invalidNumber, at: start, "a number with an empty fraction") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            let exponentStart = index
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            guard index > exponentStart else { throw JSONParseError(.invalidNumber, at: start, "a number with an empty exponent") }
        }
        let literal = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        var value: Int64? = nil
        if isInteger {
            var accumulator: Int64 = 0
            var overflow = false
            for i in digitsStart..<(digitsStart + integerDigits) {
                let digit = Int64(bytes[i] - UInt8(ascii: "0"))
                let (times10, o1) = accumulator.multipliedReportingOverflow(by: 10)
                let (next, o2) = negative ? times10.subtractingReportingOverflow(digit) : times10.addingReportingOverflow(digit)
                if o1 || o2 {
                    overflow = true
                    break
                }
                accumulator = next
            }
            if !overflow { value = accumulator }
        }
        return JSONNumber(literal: literal, int64: value, isIntegerLiteral: isInteger)
    }

    mutating func expectLiteral(_ word: StaticString) throws(JSONParseError) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw unexpectedEnd() }
        let pointer = word.utf8Start
        for offset in 0..<count where bytes[index + offset] != pointer[offset] {
            throw unexpected("a JSON value")
        }
        index += count
    }

    func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    func unexpectedEnd() -> JSONParseError {
        JSONParseError(.unexpectedEnd, at: index, "the document ends too early")
    }

    func unexpected(_ expectation: String) -> JSONParseError {
        let byte = bytes[index]
        let shown = byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(hex(byte))"
        return JSONParseError(.unexpectedCharacter, at: index, "expected \(expectation), found \(shown)")
    }
}

private func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
}
