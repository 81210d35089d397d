import Foundation

extension String {
    /// Negative, zero or positive as `lhs` sorts before, with or after `rhs` by the bytes of their UTF-8,
    /// a shorter string first on a common prefix.
    ///
    /// This is SQLite's BINARY collation and the order of member names in the canonical JSON that content
    /// hashes are taken of. Swift's `<` and `==` compare by Unicode canonical equivalence instead, so "é" and
    /// "e" with a combining accent would sort (and merge) differently. Strings read from JSON or SQLite are
    /// native and contiguous, so no copy is made.
    public static func utf8Order(_ lhs: String, _ rhs: String) -> Int {
        var a = lhs
        var b = rhs
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let common = Swift.min(x.count, y.count)
                let order = common == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, common)
                return order != 0 ? Int(order) : x.count - y.count
            }
        }
    }
}
