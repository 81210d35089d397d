/// Which folders are watched, in which role, and what an event on one of them means.
///
/// Pure bookkeeping, no system calls, so that the rules below are tested with made-up events:
/// - a maildir's `new/` (and `cur/`): a message renamed in (`MOVED_TO`, as mbsync and some MDAs deliver)
///   or hard-linked in (`CREATE`, as Postfix's local(8) and Dovecot deliver: link `tmp/x` to `new/x`, then
///   unlink `tmp/x`) is complete, so it is read. `tmp/` is not watched: deliveries in progress live there.
/// - a plain folder: a file is read when the writer closes it (`CLOSE_WRITE`) or when it is renamed in
///   (`MOVED_TO`), never on `CREATE`, so a file still being written is not read half-way. A folder that
///   appears is watched and scanned.
/// - the parent of each folder the user named: that folder coming back after a delete means a rescan.
/// - a queue overflow, a watched folder moved, or a maildir's `new/` or `cur/` re-created means a rescan:
///   events were lost or paths changed, and only reading the folders again is sure to miss nothing.
struct WatchedTree {
    enum Role: Hashable {
        /// A plain folder named by the user, or one below it.
        case plain
        /// The root of a maildir: watched so that a re-created `new/` or `cur/` is noticed.
        case maildirRoot(maildir: String)
        /// A maildir's `new/` or `cur/`.
        case maildirFolder(maildir: String, folder: String)
        /// The folder holding a path the user named; `names` are the entries that matter in it.
        case rootParent(names: Set<String>)
    }

    /// What an event asks the watch loop to do.
    enum Action: Equatable {
        case ingestFile(path: String)
        case ingestMessage(MaildirMessage)
        /// A folder appeared inside a plain folder: watch it and read what is already in it.
        case directoryAppeared(path: String)
        case rescan(reason: String)
        /// The kernel dropped this watch; forget its descriptor.
        case forget(watch: Int32)
    }

    struct Entry: Equatable {
        var path: String
        var roles: [Role]
    }

    private(set) var entries: [Int32: Entry] = [:]

    /// The events each role needs from the kernel.
    static func mask(for role: Role) -> InotifyMask {
        switch role {
        case .plain: [.closeWrite, .movedTo, .create, .deleteSelf, .moveSelf]
        case .maildirRoot: [.create, .movedTo, .deleteSelf, .moveSelf]
        case .maildirFolder: [.movedTo, .create, .deleteSelf, .moveSelf]
        case .rootParent: [.create, .movedTo]
        }
    }

    /// Records that watch `watch` covers `path` in `role`. The kernel hands out one descriptor per folder,
    /// so a folder with two roles (a root's parent that is itself watched) keeps both; a descriptor now
    /// naming a different path (its folder was renamed) starts over.
    mutating func record(watch: Int32, path: String, role: Role) {
        if var entry = entries[watch], entry.path == path {
            if case .rootParent(let names) = role {
                // One parent role per folder, naming every root in it.
                var merged = names
                entry.roles.removeAll { if case .rootParent(let known) = $0 { merged.formUnion(known); return true } else { return false } }
                entry.roles.append(.rootParent(names: merged))
            } else if !entry.roles.contains(role) {
                entry.roles.append(role)
            }
            entries[watch] = entry
        } else {
            entries[watch] = Entry(path: path, roles: [role])
        }
    }

    mutating func forget(watch: Int32) {
        entries[watch] = nil
    }

    /// What `event` means. Events on descriptors no longer known (a watch just removed) mean nothing.
    func actions(for event: InotifyEvent) -> [Action] {
        if event.mask.contains(.queueOverflow) {
            return [.rescan(reason: "the kernel's event queue overflowed")]
        }
        guard let entry = entries[event.watch] else { return [] }
        if event.mask.contains(.ignored) || event.mask.contains(.unmount) {
            return [.forget(watch: event.watch)]
        }
        var actions: [Action] = []
        for role in entry.roles {
            actions += Self.actions(for: event, role: role, entry: entry)
        }
        return actions
    }

    private static func actions(for event: InotifyEvent, role: Role, entry: Entry) -> [Action] {
        let mask = event.mask
        guard let name = event.name else {
            // The watched folder itself went away. Its parent's watch notices when it comes back; a move
            // changes the paths of everything below it, so read everything again.
            if case .rootParent = role { return [] }
            return mask.contains(.moveSelf) ? [.rescan(reason: "\(entry.path) was moved")] : []
        }
        // Hidden entries: `.Rejected`, editor swap files, and the `.name.tmp` a careful writer renames later.
        if name.hasPrefix(".") { return [] }
        let path = entry.path.hasSuffix("/") ? entry.path + name : "\(entry.path)/\(name)"
        let arrived = mask.contains(.movedTo) || mask.contains(.create)
        switch role {
        case .plain:
            if mask.contains(.isDirectory) {
                return arrived ? [.directoryAppeared(path: path)] : []
            }
            if mask.contains(.closeWrite) || mask.contains(.movedTo) { return [.ingestFile(path: path)] }
            return []
        case .maildirRoot(let maildir):
            if mask.contains(.isDirectory), arrived, name == "new" || name == "cur" {
                return [.rescan(reason: "\(maildir)/\(name) was re-created")]
            }
            return []
        case .maildirFolder(let maildir, let folder):
            if mask.contains(.isDirectory) || !arrived { return [] }
            return [.ingestMessage(MaildirMessage(maildir: maildir, folder: folder, name: name))]
        case .rootParent(let names):
            if mask.contains(.isDirectory), arrived, names.contains(name) {
                return [.rescan(reason: "\(path) appeared")]
            }
            return []
        }
    }
}
