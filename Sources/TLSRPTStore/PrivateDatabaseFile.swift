import Foundation

/// A new database keeps whole rejected mails, so it is created for its owner alone: the file `0600`, the
/// folders created for it `0700`, whatever the umask (the default 022 would make them world-readable).
///
/// One exception, asked for explicitly: a umask that lets the group write (`UMask=0007` in the shipped
/// systemd units, where people in the `tlsrpt` group read the database, which under WAL needs write access
/// to `-shm`) gives `0660` and `0770`. Others never get access. SQLite gives the WAL and shared-memory files
/// the database file's mode. Folders and files that exist keep the mode their owner gave them.
enum PrivateDatabaseFile {
    static func create(_ path: String) throws(StoreError) {
        guard !path.isEmpty, path != ":memory:", !path.hasPrefix("file:") else { return }
        let shared = groupMayWrite()
        var missing: [String] = []
        var folder = (path as NSString).deletingLastPathComponent
        while !folder.isEmpty && folder != "/" && !FileManager.default.fileExists(atPath: folder) {
            missing.append(folder)
            folder = (folder as NSString).deletingLastPathComponent
        }
        for folder in missing.reversed() where mkdir(folder, shared ? 0o770 : 0o700) != 0 && errno != EEXIST {
            throw StoreError(.cannotOpen, "cannot create the folder \(folder) for the database: \(String(cString: strerror(errno)))")
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 {
            // The umask can only take bits away; fchmod states the mode exactly.
            fchmod(fd, shared ? 0o660 : 0o600)
            close(fd)
        } else if errno != EEXIST {
            throw StoreError(.cannotOpen, "cannot create the database \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Whether the process's umask leaves the group's write bit, read from `/proc/self/status` (setting the
    /// umask to read it would race with other threads creating files).
    static func groupMayWrite() -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Umask:") }),
            let mask = Int(line.dropFirst("Umask:".count).trimmingCharacters(in: .whitespaces), radix: 8)
        else { return false }
        return mask & 0o020 == 0
    }
}
