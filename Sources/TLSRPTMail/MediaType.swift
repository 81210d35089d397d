/// A parsed `Content-Type`: lower-case `type/subtype` plus parameters.
package struct MediaType: Sendable, Equatable {
    /// Lower-case top-level type, such as `multipart` or `application`.
    package var type: String
    /// Lower-case subtype, such as `report` or `tlsrpt+gzip`.
    package var subtype: String
    package var parameters: MIMEParameters

    package init(type: String, subtype: String, parameters: MIMEParameters = MIMEParameters()) {
        self.type = type.asciiLowercased()
        self.subtype = subtype.asciiLowercased()
        self.parameters = parameters
    }

    /// `type/subtype`, lower-case, without parameters.
    package var essence: String { "\(type)/\(subtype)" }

    package var isMultipart: Bool { type == "multipart" }

    /// A message that carries another whole message (a forwarded report, a bounce).
    package var isEncapsulatedMessage: Bool {
        type == "message" && (subtype == "rfc822" || subtype == "global")
    }

    /// The multipart boundary, if the header gave one.
    package var boundary: String? {
        guard let boundary = parameters["boundary"], !boundary.isEmpty else { return nil }
        return boundary
    }

    /// RFC 2045's default for a part without a usable `Content-Type`.
    package static let textPlain = MediaType(type: "text", subtype: "plain")
    /// RFC 2046's default for the parts of a `multipart/digest`.
    package static let messageRFC822 = MediaType(type: "message", subtype: "rfc822")

    /// Parses a `Content-Type` value; nil when it has no `type/subtype` token, in which case
    /// RFC 2045 says to read the part as `text/plain`.
    package init?(parsing value: String) {
        self.init(parsing: Array(value.utf8)[...])
    }

    init?(parsing value: ArraySlice<UInt8>) {
        let (token, parameters) = MIMEParameters.parse(value)
        guard let slash = token.firstIndex(of: ASCII.slash) else { return nil }
        let type = token[..<slash].trimmingWhitespace()
        let subtype = token[(slash + 1)...].trimmingWhitespace()
        guard !type.isEmpty, !subtype.isEmpty,
            !type.contains(where: ASCII.isWhitespace), !subtype.contains(where: ASCII.isWhitespace)
        else { return nil }
        self.init(
            type: String(decoding: type, as: UTF8.self), subtype: String(decoding: subtype, as: UTF8.self),
            parameters: parameters)
    }
}
