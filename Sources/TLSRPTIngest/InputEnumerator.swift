import Foundation

/// Turns the paths a user names into inputs: a file is one input; a folder is walked recursively; a
/// maildir (a folder with `cur/ new/ tmp/`) contributes the messages in `new/` and `cur/`, never `tmp/`
/// (a delivery in progress) and not its Maildir++ subfolders such as `.Rejected`.
///
/// Inside folders, names beginning with a dot (`.Rejected`, editor swap files, `.keep`) and Markdown notes
/// (`README.md` beside the reports) are skipped, but a path the user names explicitly is always read.
/// Entries are sorted so runs are reproducible.
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
                var visited = Set<FolderIdentity>()
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
            for entry in DirectoryListing.entries(of: "\(maildir)/\(folder)") where !entry.isDirectory && !entry.name.hasPrefix(".") {
                let message = MaildirMessage(maildir: maildir, folder: folder, name: entry.name)
                items.append(InputItem(path: message.path, kind: .maildirMessage(message)))
            }
        }
        return items
    }

    /// A folder's device and inode: symbolic links are followed, so a link back up the tree must not
    /// send the walk round in circles.
    struct FolderIdentity: Hashable {
        var device: UInt64
        var inode: UInt64

        init?(_ path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
        }
    }

    static func walk(_ directory: String, into items: inout [InputItem], visited: inout Set<FolderIdentity>) {
        guard let identity = FolderIdentity(directory), visited.insert(identity).inserted else { return }
        if isMaildir(directory) {
            items.append(contentsOf: maildirItems(directory))
            return
        }
        for entry in DirectoryListing.entries(of: directory) where !entry.name.hasPrefix(".") {
            let path = directory.hasSuffix("/") ? directory + entry.name : "\(directory)/\(entry.name)"
            if entry.isDirectory {
                walk(path, into: &items, visited: &visited)
            } else if !entry.name.lowercased().hasSuffix(".md") {
                items.append(InputItem(path: path, kind: .file))
            }
        }
    }
}
