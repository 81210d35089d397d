/// Why a byte sequence is not the single JSON document we accept.
public struct JSONParseError: CodedError {
    public enum Code: Sendable, Equatable {
        case empty
        case invalidUTF8
        case unexpectedCharacter
        case unexpectedEnd
        case invalidEscape
        case controlCharacterInString
        case invalidNumber
        case tooDeep
        /// More values (numbers, strings, arrays, ...) than `JSONParser.maxValues`.
        case tooManyValues
        case duplicateKey
        case trailingData
    }

    public let code: Code
    /// Byte offset in the input where the problem was found.
    public let offset: Int
    public let message: String

    public init(_ code: Code, at offset: Int, _ message: String) {
        self.code = code
        self.offset = offset
        self.message = message
    }

    public var description: String { "invalid JSON at byte \(offset): \(message)" }

    /// Tests compare the kind of failure, not its wording.
    public static func == (lhs: JSONParseError, rhs: JSONParseError) -> Bool { lhs.code == rhs.code }
}
