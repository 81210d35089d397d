/// Tells an RFC 5322 message from a bare report file without parsing either.
package enum MessageSniffer {
    /// True when `bytes` begin with a header field: a line `Name: value` whose name is made of
    /// letters, digits, `-` and `_` and starts with a letter. An mbox `From ` line before it
    /// is allowed. JSON (`{`), gzip (`1f 8b`) and XML (`<`) never match.
    package static func looksLikeMessage(_ bytes: [UInt8]) -> Bool {
        var slice = bytes[...]
        if slice.starts(with: Array("From ".utf8)) {
            guard let lineFeed = slice.indexOfLineFeed(from: slice.startIndex, limit: slice.startIndex + 4096) else { return false }
            slice = slice[(lineFeed + 1)...]
        }
        guard let first = slice.first, isLetter(first) else { return false }
        // Field names are short; 200 bytes is generous and keeps the check cheap.
        var sawBlank = false
        for byte in slice.prefix(200) {
            if byte == ASCII.colon { return true }
            if ASCII.isBlank(byte) {
                // Obsolete syntax allows blanks between the name and the colon, nowhere else.
                sawBlank = true
                continue
            }
            let isNameByte = isLetter(byte) || (byte >= 0x30 && byte <= 0x39) || byte == ASCII.hyphen || byte == ASCII.underscore
            guard isNameByte, !sawBlank else { return false }
        }
        return false
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }
}
