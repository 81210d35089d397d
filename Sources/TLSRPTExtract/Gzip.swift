import CZlib
import TLSRPTCore

/// gzip (RFC 1952) on top of the system zlib, bounded so that a bomb stops at the cap instead of
/// filling memory.
///
/// Why not a package: `compress-nio` accepted a gzip file cut in half without complaint (docs/ARCHITECTURE.md), and
/// a truncated report must be rejected, not stored short. Several concatenated members are decoded as one
/// stream, as `gunzip` does.
package enum Gzip {
    /// The two magic bytes every gzip member starts with.
    package static func hasMagic(_ bytes: some Collection<UInt8>) -> Bool {
        var iterator = bytes.makeIterator()
        return iterator.next() == 0x1F && iterator.next() == 0x8B
    }

    /// Inflates every member of `input`, failing as soon as the output would exceed `limit` bytes.
    package static func decompress(_ input: [UInt8], limit: Int) throws(GzipError) -> [UInt8] {
        guard hasMagic(input) else { throw GzipError(.notGzip, "not gzip data (no 1f 8b magic)") }
        var stream = z_stream()
        guard czlib_inflate_init2(&stream, 15 + 16) == Z_OK else {
            throw GzipError(.corrupt, "zlib could not start inflating")
        }
        defer { inflateEnd(&stream) }

        var output = [UInt8](repeating: 0, count: min(limit + 1, max(4096, input.count * 8)))
        var produced = 0
        var consumed = 0
        let result: Result<Int, GzipError> = input.withUnsafeBufferPointer { inBuffer in
            while true {
                if produced == output.count {
                    if output.count > limit {
                        return .failure(GzipError(.tooLarge, "decompresses to more than \(limit) bytes"))
                    }
                    output.append(contentsOf: repeatElement(0, count: min(output.count, limit + 1 - output.count)))
                }
                let status: Int32 = output.withUnsafeMutableBufferPointer { outBuffer in
                    stream.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress! + consumed)
                    stream.avail_in = UInt32(inBuffer.count - consumed)
                    stream.next_out = outBuffer.baseAddress! + produced
                    stream.avail_out = UInt32(outBuffer.count - produced)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    consumed = inBuffer.count - Int(stream.avail_in)
                    produced = outBuffer.count - Int(stream.avail_out)
                    return status
                }
                if produced > limit {
                    return .failure(GzipError(.tooLarge, "decompresses to more than \(limit) bytes"))
                }
                switch status {
                case Z_OK:
                    continue
                case Z_STREAM_END:
                    // Another member may follow; trailing zero padding (some writers add it) is ignored.
                    let rest = inBuffer[consumed...]
                    if rest.allSatisfy({ $0 == 0 }) { return .success(produced) }
                    guard hasMagic(rest) else {
                        return .failure(GzipError(.corrupt, "unexpected data after the end of the gzip stream"))
                    }
                    inflateReset(&stream)
                case Z_BUF_ERROR:
                    if stream.avail_in == 0 {
                        return .failure(GzipError(.truncated, "the gzip data is truncated (it ends before the end of the stream)"))
                    }
                    continue  // output full; grow and go on
                case Z_DATA_ERROR:
                    let reason = stream.msg.map { String(cString: $0) } ?? "invalid data"
                    return .failure(GzipError(.corrupt, "the gzip data is corrupt (\(reason))"))
                case Z_MEM_ERROR:
                    return .failure(GzipError(.corrupt, "zlib ran out of memory"))
                default:
                    return .failure(GzipError(.corrupt, "zlib failed with status \(status)"))
                }
            }
        }
        switch result {
        case .success(let count):
            output.removeSubrange(count...)
            return output
        case .failure(let error):
            throw error
        }
    }

    /// Compresses `input` as a single gzip member (used to keep the raw JSON of reports that came uncompressed).
    package static func compress(_ input: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        guard czlib_deflate_init2(&stream, level, 15 + 16) == Z_OK else { return [] }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, UInt(input.count))) + 32
        var output = [UInt8](repeating: 0, count: bound)
        let written: Int = input.withUnsafeBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress ?? UnsafePointer(bitPattern: 1)!)
                stream.avail_in = UInt32(inBuffer.count)
                stream.next_out = outBuffer.baseAddress!
                stream.avail_out = UInt32(outBuffer.count)
                _ = deflate(&stream, Z_FINISH)
                return outBuffer.count - Int(stream.avail_out)
            }
        }
        output.removeSubrange(written...)
        return output
    }
}

/// Why gzip data could not be inflated.
package struct GzipError: CodedError {
    package enum Code: Sendable, Equatable {
        case notGzip
        case truncated
        case corrupt
        /// The decompressed size would pass the cap: a bomb, or simply too big.
        case tooLarge
    }

    package let code: Code
    package let message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}
