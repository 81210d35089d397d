extension String {
    /// The string without leading and trailing ASCII white space (space, tab, CR, LF, VT, FF).
    ///
    /// Foundation's `trimmingCharacters(in:)` bridges through NSString and showed up at 5% of an ingest
    /// profile; report fields almost never need trimming, so the common case returns `self` untouched.
    @inlinable
    public func trimmingASCIIWhitespace() -> String {
        let bytes = utf8
        guard let first = bytes.first, let last = bytes.last else { return self }
        if !Self.isASCIIWhitespace(first) && !Self.isASCIIWhitespace(last) { return self }
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, Self.isASCIIWhitespace(bytes[start]) { start = bytes.index(after: start) }
        while end > start, Self.isASCIIWhitespace(bytes[bytes.index(before: end)]) { end = bytes.index(before: end) }
        return String(Substring(self.utf8[start..<end]))
    }

    @inlinable
    static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }
}
