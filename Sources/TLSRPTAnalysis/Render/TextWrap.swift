import TLSRPTCore
/// Word wrapping for the plain-text summary: cron mail is read in fixed-width fonts at about 100
/// columns, and a cause or a fix is a long sentence.
package enum TextWrap {
    /// Wraps `text` to `width` columns; the first line starts with `first`, the others with `rest`.
    /// A word longer than a line (a URL, a command) gets a line of its own rather than being cut.
    package static func wrap(_ text: String, width: Int = 100, first: String = "", rest: String = "") -> [String] {
        var lines: [String] = []
        var line = first
        var lineHasWord = false
        for word in UntrustedText.sanitised(text).split(separator: " ", omittingEmptySubsequences: true) {
            let prefix = lines.isEmpty ? first : rest
            if lineHasWord && line.count + 1 + word.count > width {
                lines.append(line)
                line = rest
                lineHasWord = false
            }
            if lineHasWord {
                line += " "
            } else if line.isEmpty {
                line = prefix
            }
            line += word
            lineHasWord = true
        }
        if lineHasWord || lines.isEmpty { lines.append(line) }
        return lines
    }
}
