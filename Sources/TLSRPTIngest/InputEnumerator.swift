import Foundation

/// Turns the paths a user names into inputs: a file is one input; a folder is walked recursively; a
/// maildir (a folder with `cur/ new/ tmp/`) contributes the messages in `new/` and `cur/`, never `tmp/`
/// (a delivery in progress) and not its Maildir++ subfolders such as `.Rejected`.
///
/// Names beginning with a dot are skipped inside folders (`.Rejected`, editor swap files, `.keep`), but a
/// path the user names explicitly is always read. Entries are sorted so runs are reproducible.
public enum InputEnumerator {
    public struct Missing: Sendable, Equatable {
        public var path: String
        public var reason: String
    }

    public static func items(for paths: [String]) -> (items: [InputItem], missing: [Missing]) {
        var items: [InputItem] = []
        var missing: [Missing] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                missing.append(Missing(path: path, reason: "no such file or directory"))
                continue
            }
            if isDirectory.boolValue {
                var visited = Set<DirectoryIdentity>()
                walk(path, into: &items, visited: &visited)
            } else {
                items.append(InputItem(path: path, kind: .file))
            }
        }
        return (items, missing)
    }

    public static func isMaildir(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        for sub in ["cur", "new", "tmp"] {
            guard FileManager.default.fileExists(atPath: "\(path)/\(sub)", isDirectory: &isDirectory), isDirectory.boolValue
            else { return false }
        }
        return true
    }

    /// Messages of one maildir, `new/` first (oldest deliveries first by name).
    public static func maildirItems(_ maildir: String) -> [InputItem] {
        var items: [InputItem] = []
        for folder in ["new", "cur"] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: "\(maildir)/\(folder)")) ?? []
            for name in names.sorted() where !name.hasPrefix(".") {
                let message = MaildirMessage(maildir: maildir, folder: folder, name: name)
                items.append(InputItem(path: message.path, kind: .maildirMessage(message)))
            }
        }
        return items
    }

    /// A directory's device and inode: the same folder reached again through a symbolic link.
    struct DirectoryIdentity: Hashable {
        var device: UInt64
        var inode: UInt64

        init?(_ path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
        }
    }

    /// Symbolic links to folders are followed, but each folder is walked once: a link to a parent (two of
    /// them made the walk exponential, a hang) is skipped.
    static func walk(_ directory: String, into items: inout [InputItem], visited: inout Set<DirectoryIdentity>) {
        guard let identity = DirectoryIdentity(directory), visited.insert(identity).inserted else { return }
        if isMaildir(directory) {
            items.append(contentsOf: maildirItems(directory))
            return
        }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names.sorted() where !name.hasPrefix(".") {
            let path = directory.hasSuffix("/") ? directory + name : "\(directory)/\(name)"
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                walk(path, into: &items, visited: &visited)
            } else {
                items.append(InputItem(path: path, kind: .file))
            }
        }
    }
}
