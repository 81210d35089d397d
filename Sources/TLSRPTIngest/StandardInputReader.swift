#if canImport(Glibc)
    import Glibc
#endif

/// Reads one input from a file descriptor (standard input, for `/etc/aliases` pipes) with a cap, so a
/// sender cannot make us buffer a message of any size: past the cap the rest is read and dropped, which
/// lets the MTA finish writing (it would see a broken pipe otherwise) while memory stays bounded.
package enum StandardInputReader {
    package struct Input: Sendable {
        /// The bytes read, at most `limit` of them.
        package var bytes: [UInt8]
        /// The input's whole size when it was larger than the cap (then `bytes` is only its beginning).
        package var oversizedTotal: Int?
    }

    package static func read(fileDescriptor fd: Int32 = 0, limit: Int) -> Input {
        var bytes: [UInt8] = []
        var total = 0
        let chunk = 1 << 16
        var scratch = [UInt8](repeating: 0, count: chunk)
        while true {
            let n = scratch.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, chunk) }
            if n < 0 {
                if errno == EINTR { continue }
                break  // a broken pipe ends the input like EOF; what arrived is processed
            }
            if n == 0 { break }
            if total < limit {
                bytes.append(contentsOf: scratch[0..<min(n, limit - total)])
            }
            total += n
        }
        return Input(bytes: bytes, oversizedTotal: total > limit ? total : nil)
    }
}
