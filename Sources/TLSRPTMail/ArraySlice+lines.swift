import Foundation

/// One line of a byte buffer: where its content ends (before CR LF or LF) and where the next
/// line starts. Both CRLF and bare LF are line ends: maildir files are usually stored with LF,
/// messages taken off the wire with CRLF.
struct ByteLine {
    var start: Int
    /// End of the content, excluding the line break.
    var contentEnd: Int
    /// Start of the following line (equal to `contentEnd` on the last line without a break).
    var next: Int
}

extension ArraySlice<UInt8> {
    /// The index of the first LF in `start..<limit`, found with `memchr` because bodies are
    /// scanned line by line and may be hundreds of megabytes long.
    func indexOfLineFeed(from start: Int, limit: Int? = nil) -> Int? {
        let end = Swift.min(limit ?? endIndex, endIndex)
        guard start < end else { return nil }
        return withUnsafeBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress else { return nil }
            let offset = start - startIndex
            guard let hit = memchr(base + offset, Int32(ASCII.lineFeed), end - start) else { return nil }
            return start + UnsafeRawPointer(base + offset).distance(to: UnsafeRawPointer(hit))
        }
    }

    /// The line that starts at `start`, or nil at the end of the buffer.
    func line(at start: Int) -> ByteLine? {
        guard start < endIndex else { return nil }
        guard let lineFeed = indexOfLineFeed(from: start) else {
            return ByteLine(start: start, contentEnd: endIndex, next: endIndex)
        }
        var contentEnd = lineFeed
        if contentEnd > start && self[contentEnd - 1] == ASCII.carriageReturn { contentEnd -= 1 }
        return ByteLine(start: start, contentEnd: contentEnd, next: lineFeed + 1)
    }

    /// The slice without leading and trailing spaces, tabs, CRs and LFs.
    func trimmingWhitespace() -> ArraySlice<UInt8> {
        var lower = startIndex
        var upper = endIndex
        while lower < upper && ASCII.isWhitespace(self[lower]) { lower += 1 }
        while upper > lower && ASCII.isWhitespace(self[upper - 1]) { upper -= 1 }
        return self[lower..<upper]
    }

    /// True when every byte is whitespace (or there are none): such a trailing part is an
    /// artefact of a missing closing boundary, not content.
    var isAllWhitespace: Bool {
        allSatisfy(ASCII.isWhitespace)
    }

    /// True when the bytes at `index` equal `prefix`.
    func hasBytes(_ prefix: [UInt8], at index: Int) -> Bool {
        guard index >= startIndex, endIndex - index >= prefix.count else { return false }
        for offset in 0..<prefix.count where self[index + offset] != prefix[offset] { return false }
        return true
    }

    /// ASCII case-insensitive comparison with a lower-case `prefix` at `index`.
    func hasLowercasedBytes(_ prefix: [UInt8], at index: Int) -> Bool {
        guard index >= startIndex, endIndex - index >= prefix.count else { return false }
        for offset in 0..<prefix.count where ASCII.lowercased(self[index + offset]) != prefix[offset] { return false }
        return true
    }
}
