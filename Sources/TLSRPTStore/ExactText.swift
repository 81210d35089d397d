import TLSRPTCore

/// A string that compares and hashes byte for byte, as SQLite's BINARY collation does.
///
/// Swift's `String` equality is canonical equivalence: "é" precomposed equals "e" with a combining accent.
/// Keys merged in Swift from rows SQLite grouped must not merge what SQLite kept apart, or evidence built
/// from rollups would differ from evidence grouped from the raw rows.
struct ExactText: Hashable, Comparable, Sendable {
    var text: String

    init(_ text: String) {
        self.text = text
    }

    static func == (lhs: ExactText, rhs: ExactText) -> Bool {
        compare(lhs, rhs) == 0
    }

    func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// SQLite's order: memcmp of the UTF-8 bytes, the shorter first on a common prefix.
    static func < (lhs: ExactText, rhs: ExactText) -> Bool {
        compare(lhs, rhs) < 0
    }

    /// Negative, zero or positive as `lhs` sorts before, with or after `rhs`, in SQLite's order.
    static func compare(_ lhs: ExactText, _ rhs: ExactText) -> Int {
        String.utf8Order(lhs.text, rhs.text)
    }
}

extension Optional where Wrapped == ExactText {
    /// ``ExactText/compare(_:_:)`` for a nullable column, in SQLite's order: NULL before any text.
    static func compare(_ lhs: ExactText?, _ rhs: ExactText?) -> Int {
        switch (lhs, rhs) {
        case (nil, nil): 0
        case (nil, _): -1
        case (_, nil): 1
        case (let l?, let r?): ExactText.compare(l, r)
        }
    }
}
