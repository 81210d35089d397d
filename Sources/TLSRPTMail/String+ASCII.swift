/// Cheap ASCII-only operations for protocol text (header names, tokens, parameter names),
/// which is ASCII by definition and does not need Unicode-aware case mapping or trimming.
extension String {
    /// The string without leading and trailing spaces, tabs, CRs and LFs (header values are
    /// trimmed that way; `Foundation`'s character sets would also strip Unicode spaces).
    func trimmingSpaces() -> String {
        guard let first = utf8.first, let last = utf8.last else { return self }
        if !ASCII.isWhitespace(first) && !ASCII.isWhitespace(last) { return self }
        let utf8 = Array(self.utf8)
        let trimmed = utf8[...].trimmingWhitespace()
        if trimmed.count == utf8.count { return self }
        return String(decoding: trimmed, as: UTF8.self)
    }

    /// Lower-cases A-Z only: header names are ASCII, and this avoids Unicode case mapping
    /// on every field of every message.
    func asciiLowercased() -> String {
        guard utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return self }
        return String(decoding: utf8.map(ASCII.lowercased), as: UTF8.self)
    }
}
