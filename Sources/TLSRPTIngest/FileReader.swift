import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Reads whole files with plain POSIX calls: one open, one fstat, one read for a typical report, and a
/// size check before reading anything, so a 10 GB file dropped in a folder is refused, not loaded.
enum FileReader {
    enum Failure: Error {
        case vanished
        case tooLarge(Int)
        case unreadable(String)
    }

    static func read(_ path: String, limit: Int) -> Result<[UInt8], Failure> {
        // O_NONBLOCK: opening a FIFO (a named pipe left in a folder) would otherwise wait for a writer forever;
        // it opens at once and is refused below as not a regular file. Reads of regular files ignore the flag.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { return .failure(.vanished) }
            return .failure(.unreadable(String(cString: strerror(code))))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failure(.unreadable(String(cString: strerror(errno)))) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return .failure(.unreadable("not a regular file")) }
        let size = Int(info.st_size)
        guard size <= limit else { return .failure(.tooLarge(size)) }
        var bytes = [UInt8](repeating: 0, count: size)
        var filled = 0
        while filled < size {
            let n = bytes.withUnsafeMutableBytes { buffer in
                Glibc.read(fd, buffer.baseAddress! + filled, size - filled)
            }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(.unreadable(String(cString: strerror(errno))))
            }
            if n == 0 { break }
            filled += n
        }
        if filled < size { bytes.removeSubrange(filled...) }
        return .success(bytes)
    }
}
