import Testing

@testable import TLSRPTCore

struct JSONParserTests {
    let parser = JSONParser()

    func parse(_ text: String) throws(JSONParseError) -> JSONValue { try parser.parse(Array(text.utf8)) }

    func failure(_ bytes: [UInt8]) -> JSONParseError.Code? {
        do {
            _ = try parser.parse(bytes)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func parsesObjectsKeepingMemberOrder() throws {
        let value = try parse(#"{"b": 1, "a": [true, false, null], "c": "x"}"#)
        guard case .object(let object) = value else { Issue.record("not an object"); return }
        #expect(object.keys == ["b", "a", "c"])
        #expect(object["a"] == .array([.bool(true), .bool(false), .null]))
        #expect(object["c"] == .string("x"))
    }

    @Test func integersAreExactAndKnowWhetherTheyFit64Bits() throws {
        #expect(try parse("5000000000") == .number(JSONNumber(literal: "5000000000", int64: 5_000_000_000, isIntegerLiteral: true)))
        #expect(try parse("9223372036854775807") == .int(Int64.max))
        #expect(try parse("-9223372036854775808") == .number(JSONNumber(literal: "-9223372036854775808", int64: .min, isIntegerLiteral: true)))
        guard case .number(let big) = try parse("9223372036854775808") else { Issue.record("not a number"); return }
        #expect(big.int64 == nil)
        #expect(big.isIntegerLiteral)
        guard case .number(let fraction) = try parse("5.5"), case .number(let huge) = try parse("1e400") else {
            Issue.record("not numbers")
            return
        }
        #expect(!fraction.isIntegerLiteral && fraction.int64 == nil)
        #expect(!huge.isIntegerLiteral && huge.literal == "1e400")
    }

    @Test func rejectsMalformedNumbers() {
        for text in ["01", "-", "1.", ".5", "1e", "+1", "0x10"] {
            #expect(failure(Array(text.utf8)) != nil, "\(text) must be rejected")
        }
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        #expect(try parse(#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00""#) == .string("a\"b\\c/d\n\té😀"))
        #expect(failure(Array(#""\ud83d""#.utf8)) == .invalidEscape)
        #expect(failure(Array(#""\x""#.utf8)) == .invalidEscape)
    }

    @Test func skipsAByteOrderMarkAndSurroundingWhiteSpace() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("\r\n  {\"a\": 1}\r\n".utf8)
        #expect(try parser.parse(bytes) == .object(JSONObject([("a", .int(1))])))
    }

    @Test func rejectsInvalidUTF8ControlCharactersAndNUL() {
        #expect(failure([0x22, 0x61, 0xFF, 0x22]) == .invalidUTF8)
        #expect(failure([0x22, 0xC3, 0x22]) == .invalidUTF8)  // truncated two-byte sequence
        #expect(failure(Array("\"a\u{01}b\"".utf8)) == .controlCharacterInString)
        #expect(failure([0x22, 0x00, 0x22]) == .controlCharacterInString)
    }

    @Test func rejectsTrailingDataEmptyInputAndUnclosedDocuments() {
        #expect(failure(Array(#"{"a":1} garbage"#.utf8)) == .trailingData)
        #expect(failure(Array(#"{"a":1}{"b":2}"#.utf8)) == .trailingData)
        #expect(failure([]) == .empty)
        #expect(failure(Array("   ".utf8)) == .empty)
        #expect(failure(Array(#"{"a": [1, 2"#.utf8)) == .unexpectedEnd)
        #expect(failure(Array(#""never closed"#.utf8)) == .unexpectedEnd)
    }

    @Test func duplicateMemberNamesAreRejected() {
        // I-JSON forbids them; a report with two "report-id"s is ambiguous.
        #expect(failure(Array(#"{"report-id": "a", "report-id": "b"}"#.utf8)) == .duplicateKey)
    }

    @Test func nestingIsBoundedWithoutExhaustingTheStack() {
        let deep = Array(repeating: UInt8(ascii: "["), count: 300_000) + Array(repeating: UInt8(ascii: "]"), count: 300_000)
        #expect(failure(deep) == .tooDeep)
        let deepObjects = Array(String(repeating: #"{"a":"#, count: 100_000).utf8)
        #expect(failure(deepObjects) == .tooDeep)
        #expect(failure(Array(repeating: UInt8(ascii: "["), count: 64) + Array(repeating: UInt8(ascii: "]"), count: 64)) == nil)
    }

    @Test func errorsNameTheByteOffset() {
        do {
            _ = try parser.parse(Array(#"{"a": tru}"#.utf8))
            Issue.record("accepted")
        } catch {
            #expect(error.offset == 6)
            #expect(error.description.hasPrefix("invalid JSON at byte 6"))
        }
    }

    @Test func canonicalFormIgnoresFormattingAndKeyOrder() throws {
        let compact = try parse(#"{"b":[1,"x"],"a":{"d":null,"c":true}}"#)
        let pretty = try parse("{\r\n  \"a\": {\"c\": true, \"d\": null},\r\n  \"b\": [ 1, \"x\" ]\r\n}")
        #expect(compact.canonicalBytes() == pretty.canonicalBytes())
        #expect(String(decoding: compact.canonicalBytes(), as: UTF8.self) == #"{"a":{"c":true,"d":null},"b":[1,"x"]}"#)
        #expect(try parse(#"{"a":1}"#).canonicalBytes() != parse(#"{"a":2}"#).canonicalBytes())
    }

    /// Stored content hashes depend on these bytes: members sort by their UTF-8 bytes (a prefix first,
    /// "é" as C3 A9 after every ASCII name), and strings keep only the escapes JSON requires.
    @Test func canonicalFormSortsByBytesAndEscapesMinimally() throws {
        let value = try parse(
            #"{"é":1,"e\u0301x":2,"z":3,"ab":4,"a":5,"B":6,"s":"q\"b\\s\/t\u0009n\u000a c\u0001 \u00e9"}"#)
        let expected = "{\"B\":6,\"a\":5,\"ab\":4,\"e\u{301}x\":2,\"s\":\"q\\\"b\\\\s/t\\tn\\n c\\u0001 é\",\"z\":3,\"é\":1}"
        #expect(String(decoding: value.canonicalBytes(), as: UTF8.self) == expected)
    }

    @Test func serialisationRoundTrips() throws {
        let value = try parse(#"{"z":"q\"uote\n","n":[1,2.5,-3],"o":{}}"#)
        #expect(try parse(value.serialized(pretty: true)) == value)
        #expect(try parse(value.serialized(pretty: false)) == value)
    }
}
