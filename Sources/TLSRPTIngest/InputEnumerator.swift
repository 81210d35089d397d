import Foundation

/// Turns the paths a user names into inputs: a file is one input; a folder is walked recursively; a
/// maildir (a folder with `cur/ new/ tmp/`) contributes the messages in `new/` and `cur/`, never `tmp/`
/// (a delivery in progress) and not its Maildir++ subfolders such as `.Rejected`.
///
/// Inside folders, names beginning with a dot (`.Rejected`, editor swap files, `.keep`) and Markdown notes
/// (`README.md` beside the reports) are skipped, but a path the user names explicitly is always read.
/// Entries are sorted so runs are reproducible.
package enum InputEnumerator {
    package struct Missing: Sendable, Equatable {
        package var path: String
        package var reason: String
    }

    package static func items(for paths: [String]) -> (items: [InputItem], missing: [Missing]) {
        var items: [InputItem] = []
        var missing: [Missing] = []
        enumerate(paths, missing: { missing.append($0) }, found: { items.append($0) })
        return (items, missing)
    }

    /// Calls `found` for each input as the walk reaches it, so that a caller can work through a folder of
    /// a million files without holding a list of them all.
    package static func enumerate<E: Error>(
        _ paths: [String], missing: (Missing) -> Void, found: (InputItem) throws(E) -> Void
    ) throws(E) {
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                missing(Missing(path: path, reason: "no such file or directory"))
                continue
            }
            if isDirectory.boolValue {
                var visited = Set<FolderIdentity>()
                try walk(path, visited: &visited, found: found)
            } else {
                try found(InputItem(path: path, kind: .file))
            }
        }
    }

    package static func isMaildir(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        for sub in ["cur", "new", "tmp"] {
            guard FileManager.default.fileExists(atPath: "\(path)/\(sub)", isDirectory: &isDirectory), isDirectory.boolValue
            else { return false }
        }
        return true
    }

    /// Messages of one maildir, `new/` first (oldest deliveries first by name).
    package static func maildirItems(_ maildir: String) -> [InputItem] {
        var items: [InputItem] = []
        maildirItems(maildir) { items.append($0) }
        return items
    }

    static func maildirItems<E: Error>(_ maildir: String, found: (InputItem) throws(E) -> Void) throws(E) {
        // Both folders are listed before the first message is handed on: the caller moves messages from
        // new/ to cur/ as its batches commit, and a cur/ listing taken after that would offer them again.
        let listings = ["new", "cur"].map { folder in
            (folder, DirectoryListing.entries(of: "\(maildir)/\(folder)").filter { !$0.isDirectory && !$0.name.hasPrefix(".") })
        }
        for (folder, entries) in listings {
            for entry in entries {
                let message = MaildirMessage(maildir: maildir, folder: folder, name: entry.name)
                try found(InputItem(path: message.path, kind: .maildirMessage(message)))
            }
        }
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

    static func walk<E: Error>(
        _ directory: String, visited: inout Set<FolderIdentity>, found: (InputItem) throws(E) -> Void
    ) throws(E) {
        guard let identity = FolderIdentity(directory), visited.insert(identity).inserted else { return }
        if isMaildir(directory) {
            try maildirItems(directory, found: found)
            return
        }
        for entry in DirectoryListing.entries(of: directory) where !entry.name.hasPrefix(".") {
            let path = directory.hasSuffix("/") ? directory + entry.name : "\(directory)/\(entry.name)"
            if entry.isDirectory {
                try walk(path, visited: &visited, found: found)
            } else if !entry.name.lowercased().hasSuffix(".md") {
                try found(InputItem(path: path, kind: .file))
            }
        }
    }
}
