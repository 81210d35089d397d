/// RFC 2047 encoded words in header values: `=?charset?B?base64?=` and `=?charset?Q?text?=`.
///
/// Subjects, display names and attachment names arrive this way whenever they are not plain
/// ASCII. Adjacent encoded words are joined without the whitespace between them (RFC 2047
/// §6.2), and their bytes are joined before the charset is applied, because mailers split a
/// UTF-8 character across two words. Malformed words are left as they are.
package enum RFC2047 {
    /// Longest encoded word accepted. RFC 2047 allows 75 characters; senders exceed that, so
    /// the cap only keeps the search for `?=` from rescanning a long header.
    static let maximumWordLength = 200

    /// Decodes every encoded word in an (unfolded) header value.
    package static func decode(_ text: String) -> String {
        let bytes = Array(text.utf8)
        guard bytes.count >= 8, bytes[...].hasEncodedWordStart else { return text }
        var result = ""
        var runCharset: String?
        var runBytes: [UInt8] = []
        // Whitespace seen after an encoded word; dropped if another encoded word follows.
        var pendingBlanks: Range<Int>?
        var plainStart = 0
        var index = 0

        func flushRun() {
            if let charset = runCharset { result += TextCharset.decode(runBytes, charset: charset) }
            runCharset = nil
            runBytes.removeAll(keepingCapacity: true)
        }

        while index < bytes.count {
            if bytes[index] == ASCII.equals, let word = EncodedWord(bytes, at: index) {
                // Text before the word: plain text ends a run; blanks between words vanish.
                if plainStart < index {
                    if let blanks = pendingBlanks, blanks.lowerBound == plainStart, blanks.upperBound == index {
                        // only blanks between two encoded words
                    } else {
                        flushRun()
                        result += String(decoding: bytes[plainStart..<index], as: UTF8.self)
                    }
                }
                if runCharset != nil && runCharset != word.charset { flushRun() }
                runCharset = word.charset
                runBytes += word.decoded
                index = word.end
                plainStart = index
                var blankEnd = index
                while blankEnd < bytes.count && ASCII.isWhitespace(bytes[blankEnd]) { blankEnd += 1 }
                pendingBlanks = index..<blankEnd
                index = blankEnd
            } else {
                index += 1
            }
        }
        flushRun()
        if plainStart < bytes.count { result += String(decoding: bytes[plainStart...], as: UTF8.self) }
        return result
    }

    /// One `=?charset?encoding?text?=` found in a byte string.
    struct EncodedWord {
        var charset: String
        var decoded: [UInt8]
        /// Index just after the closing `?=`.
        var end: Int

        init?(_ bytes: [UInt8], at start: Int) {
            let limit = Swift.min(bytes.count, start + RFC2047.maximumWordLength)
            guard start + 1 < limit, bytes[start] == ASCII.equals, bytes[start + 1] == ASCII.questionMark else { return nil }
            var cursor = start + 2
            let charsetStart = cursor
            while cursor < limit && bytes[cursor] != ASCII.questionMark {
                if ASCII.isWhitespace(bytes[cursor]) { return nil }
                cursor += 1
            }
            guard cursor > charsetStart, cursor + 2 < limit, bytes[cursor + 2] == ASCII.questionMark else { return nil }
            let charset = String(decoding: bytes[charsetStart..<cursor], as: UTF8.self)
            let encoding = ASCII.lowercased(bytes[cursor + 1])
            guard encoding == UInt8(ascii: "b") || encoding == UInt8(ascii: "q") else { return nil }
            let textStart = cursor + 3
            cursor = textStart
            while cursor + 1 < limit && !(bytes[cursor] == ASCII.questionMark && bytes[cursor + 1] == ASCII.equals) {
                if ASCII.isWhitespace(bytes[cursor]) { return nil }
                cursor += 1
            }
            guard cursor + 1 < limit else { return nil }
            let text = bytes[textStart..<cursor]
            self.charset = charset
            self.decoded = encoding == UInt8(ascii: "b") ? Base64Decoder.decode(text) : QuotedPrintable.decodeEncodedWordText(text)
            self.end = cursor + 2
        }
    }
}

extension ArraySlice<UInt8> {
    /// Whether `=?` occurs: most header values have no encoded word and skip decoding.
    fileprivate var hasEncodedWordStart: Bool {
        var index = startIndex
        while let equals = self[index...].firstIndex(of: ASCII.equals) {
            if equals + 1 < endIndex && self[equals + 1] == ASCII.questionMark { return true }
            index = equals + 1
        }
        return false
    }
}
