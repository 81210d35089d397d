/// The `Content-Transfer-Encoding` of a part (RFC 2045 §6), and how to undo it.
package enum ContentTransferEncoding: Sendable, Equatable {
    case sevenBit
    case eightBit
    case binary
    case base64
    case quotedPrintable
    /// An encoding this reader does not know (`x-uuencode`, typos): the body is passed on
    /// unchanged and content sniffing decides what it is.
    case other(String)

    /// Reads the header value; a missing header means `7bit` (RFC 2045).
    package init(headerValue: String?) {
        guard let headerValue else {
            self = .sevenBit
            return
        }
        switch headerValue.trimmingSpaces().asciiLowercased() {
        case "", "7bit": self = .sevenBit
        case "8bit": self = .eightBit
        case "binary": self = .binary
        case "base64": self = .base64
        case "quoted-printable": self = .quotedPrintable
        case let other: self = .other(other)
        }
    }

    /// The body with this transfer encoding removed.
    package func decode(_ body: ArraySlice<UInt8>) -> [UInt8] {
        switch self {
        case .base64: Base64Decoder.decode(body)
        case .quotedPrintable: QuotedPrintable.decode(body)
        case .sevenBit, .eightBit, .binary, .other: Array(body)
        }
    }
}
