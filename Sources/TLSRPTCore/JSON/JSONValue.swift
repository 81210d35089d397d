/// A parsed JSON document, kept close to the text: numbers keep whether they were integers and whether they
/// fit 64 bits, and objects keep member order, so the decoder can give exact, path-qualified reasons
/// ("is -3", "is 5.5", "does not fit 64 bits") and the store can hash a canonical form.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// A short name of the value's type for error messages ("a string", "an array", ...).
    public var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        // A hostile literal can be megabytes of digits; a reason is one short line.
        case .number(let n): n.literal.utf8.count > 40 ? "\(n.literal.prefix(40))… (a \(n.literal.utf8.count)-digit number)" : n.literal
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// A JSON number literal. Report counts must be exact 64-bit integers, so the literal is kept and the
/// integer value is only present when the literal is an integer that fits `Int64`.
public struct JSONNumber: Sendable, Hashable {
    /// The literal as written, e.g. `12`, `-3`, `5.5`, `1e400`.
    public let literal: String
    /// The value when `literal` is an integer (no fraction, no exponent) within `Int64`.
    public let int64: Int64?
    /// True when the literal has no fraction and no exponent.
    public let isIntegerLiteral: Bool

    public init(literal: String, int64: Int64?, isIntegerLiteral: Bool) {
        self.literal = literal
        self.int64 = int64
        self.isIntegerLiteral = isIntegerLiteral
    }
}

/// A JSON object with its members in document order. Reports have small objects, so a linear
/// lookup beats hashing, and the order is kept for display.
public struct JSONObject: Sendable, Hashable {
    public var members: [(key: String, value: JSONValue)]

    public init(_ members: [(key: String, value: JSONValue)] = []) {
        self.members = members
    }

    public subscript(key: String) -> JSONValue? {
        for member in members where member.key == key {
            return member.value
        }
        return nil
    }

    public var keys: [String] { members.map(\.key) }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        for (l, r) in zip(lhs.members, rhs.members) where l.key != r.key || l.value != r.value {
            return false
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(members.count)
        for member in members {
            hasher.combine(member.key)
            hasher.combine(member.value)
        }
    }
}
