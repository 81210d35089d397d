/// What a payload's bytes look like, whatever its label says.
///
/// Senders label uncompressed JSON `application/tlsrpt+gzip` and the reverse, so the
/// extractor trusts the bytes: the gzip magic `1f 8b`, or a JSON object.
package enum PayloadKind: String, Sendable {
    case gzip
    case json
    case unknown

    /// Sniffs `bytes`: gzip when they start with `1f 8b`; JSON when the first byte that is not
    /// whitespace, after an optional UTF-8 byte order mark, is `{`.
    package init(sniffing bytes: some Collection<UInt8>) {
        var iterator = bytes.makeIterator()
        guard let first = iterator.next() else {
            self = .unknown
            return
        }
        if first == 0x1F, iterator.next() == 0x8B {
            self = .gzip
            return
        }
        self = ContentSignature.firstSignificantByte(of: bytes) == ASCII.openBrace ? .json : .unknown
    }
}

/// Byte signatures used to tell a report from the other things that arrive in a report mailbox.
enum ContentSignature {
    case gzip
    case json
    /// `<?xml` or a `<feedback>` element: a DMARC aggregate report (RFC 7489 appendix C).
    case xml
    /// A zip archive (`PK\x03\x04`): how Microsoft and others send DMARC reports.
    case zip
    case unknown

    init(_ bytes: some Collection<UInt8>) {
        if bytes.starts(with: [0x1F, 0x8B]) {
            self = .gzip
        } else if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            self = .zip
        } else {
            let text = Self.significantBytes(of: bytes).prefix(9).map(ASCII.lowercased)
            if text.first == ASCII.openBrace {
                self = .json
            } else if text.starts(with: Array("<?xml".utf8)) || text.starts(with: Array("<feedback".utf8)) {
                self = .xml
            } else {
                self = .unknown
            }
        }
    }

    /// The first byte that is not whitespace, after skipping a UTF-8 byte order mark.
    static func firstSignificantByte(of bytes: some Collection<UInt8>) -> UInt8? {
        significantBytes(of: bytes).first
    }

    /// The bytes from the first one that is not whitespace, after a UTF-8 byte order mark.
    static func significantBytes<Bytes: Collection<UInt8>>(of bytes: Bytes) -> Bytes.SubSequence {
        var rest = bytes[...]
        if rest.starts(with: [0xEF, 0xBB, 0xBF]) { rest = rest.dropFirst(3) }
        return rest.drop { ASCII.isWhitespace($0) }
    }
}
