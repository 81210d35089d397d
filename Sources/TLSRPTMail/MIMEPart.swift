/// A node of a parsed message: the message itself, a multipart container, an encapsulated
/// message (`message/rfc822`), or a leaf with a body.
///
/// Bodies are kept as slices of the input, still transfer-encoded, and decoded on request:
/// most parts of a report mail (text, HTML, relays' notes) are never looked at.
package struct MIMEPart: Sendable {
    package var headers: MIMEHeaders
    /// The `Content-Type`, or the RFC 2045/2046 default (`text/plain`, or `message/rfc822`
    /// inside a `multipart/digest`) when it is missing or unreadable.
    package var mediaType: MediaType
    package var transferEncoding: ContentTransferEncoding
    /// The body as it appears in the message: still transfer-encoded, and for a multipart the
    /// whole body with preamble and epilogue.
    package var rawBody: ArraySlice<UInt8>
    /// The parts of a multipart, or the single message inside a `message/rfc822` part.
    package var children: [MIMEPart]
    /// A structural problem that lost content, such as a multipart without a boundary; nil
    /// when the part was read as intended.
    package var defect: String?

    package init(
        headers: MIMEHeaders, mediaType: MediaType, transferEncoding: ContentTransferEncoding,
        rawBody: ArraySlice<UInt8>, children: [MIMEPart] = [], defect: String? = nil
    ) {
        self.headers = headers
        self.mediaType = mediaType
        self.transferEncoding = transferEncoding
        self.rawBody = rawBody
        self.children = children
        self.defect = defect
    }

    /// The body with its transfer encoding removed (decoded on every access).
    package var decodedBody: [UInt8] {
        transferEncoding.decode(rawBody)
    }

    /// The parsed `Content-Disposition`, if there is one.
    package var contentDisposition: ContentDisposition? {
        headers.field("Content-Disposition").map { ContentDisposition(parsing: $0.unfoldedBytes[...]) }
    }

    /// The attachment's name, from the first place that has one: `Content-Disposition`'s
    /// `filename`, `Content-Type`'s `name`, or a `Content-Description` that is just a file
    /// name (Microsoft puts the report's filename there). RFC 2231 and RFC 2047 decoded.
    package var filename: String? {
        if let name = contentDisposition?.filename { return name }
        if let name = mediaType.parameters["name"].map({ RFC2047.decode($0).trimmingSpaces() }), !name.isEmpty {
            return name
        }
        if let description = headers.decodedValue("Content-Description")?.trimmingSpaces(),
            Self.looksLikeFilename(description)
        {
            return description
        }
        return nil
    }

    /// A description such as "DMARC report" is prose; one such as
    /// `microsoft.com!example.com!1!2!3.json.gz` is a filename.
    static func looksLikeFilename(_ text: String) -> Bool {
        guard !text.isEmpty, !text.contains(" ") else { return false }
        let lower = text.lowercased()
        return [".json", ".gz", ".gzip", ".xml", ".zip"].contains { lower.hasSuffix($0) }
    }

    /// This part and every part below it, depth first in document order, each with the
    /// headers of the message it belongs to (the top-level message, or the innermost
    /// `message/rfc822` around it). Iterative, so a deep tree cannot overflow the stack.
    package func allParts() -> [(part: MIMEPart, messageHeaders: MIMEHeaders)] {
        var result: [(part: MIMEPart, messageHeaders: MIMEHeaders)] = []
        var stack: [(part: MIMEPart, messageHeaders: MIMEHeaders)] = [(self, headers)]
        while let (part, messageHeaders) = stack.popLast() {
            result.append((part, messageHeaders))
            // The child of an encapsulated message is a message with its own headers.
            for child in part.children.reversed() {
                stack.append((child, part.mediaType.isEncapsulatedMessage ? child.headers : messageHeaders))
            }
        }
        return result
    }
}
