/// The start of a gzip member (RFC 1952 §2.3), read only for the original file name.
///
/// DMARC reports sent as `application/gzip` without a MIME file name still carry
/// `report.xml` in the gzip header; that is enough to tell them from a TLS report without
/// decompressing (this module does no decompression).
struct GzipHeader {
    var originalFilename: String?

    init?(_ bytes: [UInt8]) {
        guard bytes.count >= 10, bytes[0] == 0x1F, bytes[1] == 0x8B, bytes[2] == 8 else { return nil }
        let flags = bytes[3]
        var index = 10
        if flags & 0x04 != 0 {  // FEXTRA: two-byte little-endian length, then data
            guard index + 2 <= bytes.count else { return nil }
            let length = Int(bytes[index]) | (Int(bytes[index + 1]) << 8)
            index += 2 + length
        }
        guard flags & 0x08 != 0, index < bytes.count else {  // FNAME: zero-terminated ISO-8859-1
            originalFilename = nil
            return
        }
        let nameEnd = bytes[index...].prefix(1024).firstIndex(of: 0) ?? min(bytes.count, index + 1024)
        originalFilename = TextCharset.latin1(bytes[index..<nameEnd])
    }
}
