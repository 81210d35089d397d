/// One header field as it appears in the message.
package struct MIMEHeaderField: Sendable {
    /// The field name's bytes as sent; kept as a slice of the message because most fields
    /// (`Received`, `ARC-Seal`, ...) are never looked at.
    package var nameBytes: ArraySlice<UInt8>
    /// The bytes after the colon, up to the end of the last folded line, line breaks included.
    package var rawValue: ArraySlice<UInt8>

    package init(nameBytes: ArraySlice<UInt8>, rawValue: ArraySlice<UInt8>) {
        self.nameBytes = nameBytes
        self.rawValue = rawValue
    }

    /// The field name as sent (`Content-Type`, `TLS-Report-Domain`).
    package var name: String {
        String(decoding: nameBytes, as: UTF8.self)
    }

    /// ASCII case-insensitive comparison with a lower-case name.
    func hasName(_ lowercasedName: [UInt8]) -> Bool {
        nameBytes.count == lowercasedName.count && nameBytes.hasLowercasedBytes(lowercasedName, at: nameBytes.startIndex)
    }

    /// The value unfolded (RFC 5322 §2.2.3: line breaks removed, the blanks after them
    /// kept), without leading and trailing blanks.
    package var unfoldedBytes: [UInt8] {
        let trimmed = rawValue.trimmingWhitespace()
        guard trimmed.contains(ASCII.lineFeed) || trimmed.contains(ASCII.carriageReturn) else { return Array(trimmed) }
        return trimmed.filter { $0 != ASCII.carriageReturn && $0 != ASCII.lineFeed }
    }

    /// The unfolded value as text, without RFC 2047 decoding (right for structured fields
    /// such as `Content-Type`).
    package var value: String {
        TextCharset.headerText(unfoldedBytes)
    }

    /// The unfolded value with RFC 2047 encoded words decoded (right for `Subject`, `From`).
    package var decodedValue: String {
        RFC2047.decode(value)
    }
}

/// The header section of a message or body part.
///
/// Parsing stops at the first empty line (the usual end), or at the first line that is
/// neither a field nor a folded continuation: that line already belongs to the body, which is
/// how lenient readers treat a part that omits the blank line. A leading mbox `From ` line is
/// skipped. The section may not exceed `MailLimits.maxHeaderBytes`, so a hostile megabyte-long
/// header line costs one bounded scan and an error.
package struct MIMEHeaders: Sendable {
    package private(set) var fields: [MIMEHeaderField]

    package init(fields: [MIMEHeaderField] = []) {
        self.fields = fields
    }

    /// The first field named `name` (case-insensitive).
    package func field(_ name: String) -> MIMEHeaderField? {
        let key = Array(name.utf8).map(ASCII.lowercased)
        return fields.first { $0.hasName(key) }
    }

    /// The unfolded value of the first field named `name`, not RFC 2047 decoded.
    package subscript(name: String) -> String? {
        field(name)?.value
    }

    /// The unfolded, RFC 2047 decoded value of the first field named `name`.
    package func decodedValue(_ name: String) -> String? {
        field(name)?.decodedValue
    }

    /// Every field named `name`, in order.
    package func fields(named name: String) -> [MIMEHeaderField] {
        let key = Array(name.utf8).map(ASCII.lowercased)
        return fields.filter { $0.hasName(key) }
    }

    /// Parses the header section at the start of `bytes`; returns it with the body that follows.
    static func parse(
        _ bytes: ArraySlice<UInt8>, maxBytes: Int, allowMboxFromLine: Bool = false
    ) throws(MailError) -> (headers: MIMEHeaders, body: ArraySlice<UInt8>) {
        var fields: [MIMEHeaderField] = []
        var currentName: ArraySlice<UInt8>?
        var valueStart = bytes.startIndex
        var valueEnd = bytes.startIndex
        let limit = bytes.count > maxBytes ? bytes.startIndex + Swift.max(maxBytes, 0) : bytes.endIndex

        func finishField() {
            if let name = currentName {
                fields.append(MIMEHeaderField(nameBytes: name, rawValue: bytes[valueStart..<valueEnd]))
                currentName = nil
            }
        }

        var lineStart = bytes.startIndex
        if allowMboxFromLine, bytes.hasBytes(Array("From ".utf8), at: lineStart), let line = bytes.line(at: lineStart) {
            lineStart = line.next
        }
        while lineStart < bytes.endIndex {
            let lineFeed = bytes.indexOfLineFeed(from: lineStart, limit: limit)
            if lineFeed == nil && bytes.endIndex > limit { throw MailError.headerTooLarge(limit: maxBytes) }
            let next = lineFeed.map { $0 + 1 } ?? bytes.endIndex
            var contentEnd = lineFeed ?? bytes.endIndex
            if contentEnd > lineStart && bytes[contentEnd - 1] == ASCII.carriageReturn { contentEnd -= 1 }

            if contentEnd == lineStart {
                finishField()
                return (MIMEHeaders(fields: fields), bytes[next...])
            }
            if ASCII.isBlank(bytes[lineStart]) {
                if currentName != nil {
                    valueEnd = contentEnd
                    lineStart = next
                    continue
                }
                // Blanks before any field: a separator line with stray spaces.
                if bytes[lineStart..<contentEnd].isAllWhitespace { return (MIMEHeaders(fields: fields), bytes[next...]) }
                return (MIMEHeaders(fields: fields), bytes[lineStart...])
            }
            guard let (nameEnd, colon) = fieldName(in: bytes, from: lineStart, to: contentEnd) else {
                finishField()
                return (MIMEHeaders(fields: fields), bytes[lineStart...])
            }
            finishField()
            currentName = bytes[lineStart..<nameEnd]
            valueStart = colon + 1
            valueEnd = contentEnd
            lineStart = next
        }
        finishField()
        return (MIMEHeaders(fields: fields), bytes[bytes.endIndex...])
    }

    /// Where the field name ends and where its colon is, if the line starts with a field name:
    /// printable ASCII except `:` (RFC 5322 §3.6.8), optionally followed by blanks (obsolete
    /// syntax) before the colon.
    static func fieldName(in bytes: ArraySlice<UInt8>, from start: Int, to end: Int) -> (nameEnd: Int, colon: Int)? {
        var index = start
        while index < end && bytes[index] >= 0x21 && bytes[index] <= 0x7E && bytes[index] != ASCII.colon { index += 1 }
        let nameEnd = index
        guard nameEnd > start else { return nil }
        while index < end && ASCII.isBlank(bytes[index]) { index += 1 }
        guard index < end, bytes[index] == ASCII.colon else { return nil }
        return (nameEnd, index)
    }
}
