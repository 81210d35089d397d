/// Quoted-printable decoding (RFC 2045 §6.7), and the "Q" variant of RFC 2047 encoded words.
///
/// Lenient where senders are sloppy: hex digits in either case, a soft line break (`=` at
/// the end of a line) followed by CRLF or LF or trailing blanks, and an `=` that starts no
/// valid escape kept as it is. Literal blanks at the end of a line are dropped, as the RFC
/// asks, because transports add them. Line breaks are kept as they appear.
package enum QuotedPrintable {
    /// Decodes a quoted-printable body.
    package static func decode(_ text: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.count)
        // Where the current line's literal trailing blanks begin in `output`.
        var keptLength = 0
        var index = text.startIndex
        let end = text.endIndex
        while index < end {
            let byte = text[index]
            switch byte {
            case ASCII.equals:
                if index + 2 < end, let high = ASCII.hexValue(text[index + 1]), let low = ASCII.hexValue(text[index + 2]) {
                    output.append(high << 4 | low)
                    keptLength = output.count
                    index += 3
                } else if let afterBreak = softLineBreakEnd(text, after: index) {
                    // Blanks before a soft break are content ("two =\nwords").
                    keptLength = output.count
                    index = afterBreak
                } else {
                    output.append(byte)
                    keptLength = output.count
                    index += 1
                }
            case ASCII.carriageReturn, ASCII.lineFeed:
                output.removeSubrange(keptLength...)
                output.append(byte)
                keptLength = output.count
                index += 1
            case ASCII.space, ASCII.tab:
                output.append(byte)
                index += 1
            default:
                output.append(byte)
                keptLength = output.count
                index += 1
            }
        }
        output.removeSubrange(keptLength...)
        return output
    }

    package static func decode(_ text: [UInt8]) -> [UInt8] {
        decode(text[...])
    }

    /// Decodes the text of a "Q" encoded word (RFC 2047 §4.2): like quoted-printable, but `_`
    /// stands for a space and there are no line breaks.
    package static func decodeEncodedWordText(_ text: ArraySlice<UInt8>) -> [UInt8] {
        HexEscapes.decode(text, marker: ASCII.equals, underscoreIsSpace: true)
    }

    /// If `=` at `index` is a soft line break (optionally followed by blanks, then CRLF, LF or
    /// the end of the text), the index just after the break. Stray carriage returns before the
    /// line feed count as part of the break: a sender that encodes CRLF text without escaping
    /// its CR writes `=\r\r\n`, and that CR must not end up inside a JSON string.
    private static func softLineBreakEnd(_ text: ArraySlice<UInt8>, after index: Int) -> Int? {
        var cursor = index + 1
        var sawCarriageReturn = false
        while cursor < text.endIndex && (ASCII.isBlank(text[cursor]) || text[cursor] == ASCII.carriageReturn) {
            if text[cursor] == ASCII.carriageReturn { sawCarriageReturn = true }
            cursor += 1
        }
        if cursor == text.endIndex { return cursor }
        if text[cursor] == ASCII.lineFeed { return cursor + 1 }
        return sawCarriageReturn ? cursor : nil
    }
}
