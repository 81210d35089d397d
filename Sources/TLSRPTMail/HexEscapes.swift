/// Two-digit hex escapes, the one piece RFC 2047's "Q" words (`=E9`) and RFC 2231
/// parameter values (`%E9`) share. An escape that is not followed by two hex digits (in either
/// case) is kept as it is.
enum HexEscapes {
    static func decode(_ text: ArraySlice<UInt8>, marker: UInt8, underscoreIsSpace: Bool = false) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.count)
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            if byte == marker, index + 2 < text.endIndex,
                let high = ASCII.hexValue(text[index + 1]), let low = ASCII.hexValue(text[index + 2])
            {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(underscoreIsSpace && byte == ASCII.underscore ? ASCII.space : byte)
                index += 1
            }
        }
        return output
    }
}
