import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One folder's entries with their kinds, from a single `readdir` pass.
///
/// `FileManager.fileExists(atPath:isDirectory:)` costs a `stat` per entry; `readdir` already says whether
/// an entry is a file or a folder on the file systems mail lives on, and `stat` is used only where it
/// does not (`DT_UNKNOWN`) or for a symbolic link, which is followed as the user would expect.
enum DirectoryListing {
    struct Entry {
        var name: String
        var isDirectory: Bool
    }

    /// The entries of `path`, sorted by name, without `.` and `..`; empty when the folder cannot be read.
    static func entries(of path: String) -> [Entry] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var entries: [Entry] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name == "." || name == ".." { continue }
            let type = entry.pointee.d_type
            let isDirectory: Bool
            switch Int32(type) {
            case Int32(DT_DIR): isDirectory = true
            case Int32(DT_REG): isDirectory = false
            default:
                var info = stat()
                guard stat("\(path)/\(name)", &info) == 0 else { continue }
                isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
            }
            entries.append(Entry(name: name, isDirectory: isDirectory))
        }
        entries.sort { $0.name < $1.name }
        return entries
    }
}
