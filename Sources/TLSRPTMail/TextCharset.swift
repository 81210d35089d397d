/// Turns bytes in a declared MIME charset into a `String`.
///
/// Report mail only needs a few charsets for headers and filenames (UTF-8, US-ASCII and the
/// Latin ones older mailers default to), so they are decoded here without depending on
/// Foundation's platform-specific encoding tables. Anything unknown is read as UTF-8 when it
/// is valid and as ISO-8859-1 otherwise, which never fails and keeps every byte visible.
enum TextCharset {
    /// Decodes `bytes` labelled with `charset` (case-insensitive, an RFC 2231 `*language`
    /// suffix allowed).
    static func decode(_ bytes: some Collection<UInt8>, charset: String) -> String {
        var name = charset.lowercased()
        if let star = name.firstIndex(of: "*") { name = String(name[..<star]) }
        switch name.trimmingSpaces() {
        case "utf-8", "utf8":
            return String(decoding: bytes, as: UTF8.self)
        case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "cp819", "ibm819":
            return latin1(bytes)
        case "windows-1252", "cp1252", "x-cp1252":
            return windows1252(bytes)
        default:
            // us-ascii and unknown charsets: 8-bit bytes under an ASCII label are, in
            // practice, UTF-8 from a mislabelling sender.
            return headerText(bytes)
        }
    }

    /// Header bytes with no declared charset: UTF-8 when valid (RFC 6532 allows raw UTF-8 in
    /// headers), ISO-8859-1 otherwise (old 8-bit mailers).
    static func headerText(_ bytes: some Collection<UInt8>) -> String {
        if bytes.allSatisfy({ $0 < 0x80 }) || isValidUTF8(bytes) {
            return String(decoding: bytes, as: UTF8.self)
        }
        return latin1(bytes)
    }

    static func isValidUTF8(_ bytes: some Collection<UInt8>) -> Bool {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    static func latin1(_ bytes: some Collection<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes { scalars.append(Unicode.Scalar(byte)) }
        return String(scalars)
    }

    /// Windows-1252 differs from ISO-8859-1 only in 0x80-0x9F, where it has printable
    /// characters (curly quotes, the euro sign) instead of C1 controls.
    static func windows1252(_ bytes: some Collection<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            if byte >= 0x80 && byte <= 0x9F, let scalar = Unicode.Scalar(windows1252High[Int(byte - 0x80)]) {
                scalars.append(scalar)
            } else {
                scalars.append(Unicode.Scalar(byte))
            }
        }
        return String(scalars)
    }

    private static let windows1252High: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]
}
