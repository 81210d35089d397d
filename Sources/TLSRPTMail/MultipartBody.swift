/// Splits a multipart body at its boundary delimiters (RFC 2046 §5.1.1).
///
/// A delimiter is a line that starts with `--` and the boundary, optionally followed by `--`
/// (the close delimiter) and blanks. The line break before a delimiter belongs to it, not to
/// the part above. The preamble before the first delimiter and the epilogue after the close
/// delimiter are dropped. Real mail bends the rules:
/// - Mail.ru omits the close delimiter and ends with a bare `--boundary` line: the empty part
///   after it is dropped, the parts before it are kept.
/// - A body cut short (no close delimiter at all) keeps its last part as far as it goes.
/// The body is scanned once, line by line, so the cost is linear in its size.
struct MultipartBody {
    var parts: [ArraySlice<UInt8>]
    /// Whether any delimiter was found at all.
    var foundDelimiter: Bool
    /// Whether the close delimiter (`--boundary--`) was found.
    var isClosed: Bool

    /// Splits `body`; throws `tooManyParts` as soon as more than `maxParts` parts are seen.
    init(splitting body: ArraySlice<UInt8>, boundary: String, maxParts: Int, limitForMessage: Int) throws(MailError) {
        let dashBoundary = Array("--".utf8) + Array(boundary.utf8)
        var parts: [ArraySlice<UInt8>] = []
        var partStart: Int?
        var foundDelimiter = false
        var isClosed = false
        var lineStart = body.startIndex
        while let line = body.line(at: lineStart) {
            if let isClose = Self.delimiter(body, line: line, dashBoundary: dashBoundary) {
                foundDelimiter = true
                if let start = partStart {
                    parts.append(body[start..<Self.endBeforeLineBreak(body, partStart: start, delimiterStart: line.start)])
                    if parts.count > maxParts { throw MailError.tooManyParts(limit: limitForMessage) }
                }
                if isClose {
                    isClosed = true
                    break
                }
                partStart = line.next
            }
            lineStart = line.next
        }
        if !isClosed, let start = partStart {
            let last = body[start...]
            if !last.isAllWhitespace { parts.append(last) }
            if parts.count > maxParts { throw MailError.tooManyParts(limit: limitForMessage) }
        }
        self.parts = parts
        self.foundDelimiter = foundDelimiter
        self.isClosed = isClosed
    }

    /// nil when the line is not a delimiter; otherwise whether it is the close delimiter.
    private static func delimiter(_ body: ArraySlice<UInt8>, line: ByteLine, dashBoundary: [UInt8]) -> Bool? {
        guard line.contentEnd - line.start >= dashBoundary.count, body.hasBytes(dashBoundary, at: line.start) else { return nil }
        var index = line.start + dashBoundary.count
        var isClose = false
        if line.contentEnd - index >= 2 && body[index] == ASCII.hyphen && body[index + 1] == ASCII.hyphen {
            isClose = true
            index += 2
        }
        // Only transport padding may follow; anything else means a longer boundary.
        while index < line.contentEnd {
            guard ASCII.isWhitespace(body[index]) else { return nil }
            index += 1
        }
        return isClose
    }

    /// Where a part ends: before the CRLF or LF that precedes its delimiter line.
    private static func endBeforeLineBreak(_ body: ArraySlice<UInt8>, partStart: Int, delimiterStart: Int) -> Int {
        var end = delimiterStart
        if end > partStart && body[end - 1] == ASCII.lineFeed {
            end -= 1
            if end > partStart && body[end - 1] == ASCII.carriageReturn { end -= 1 }
        }
        return end
    }
}
