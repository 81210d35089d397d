#if os(Linux)
    import Foundation
    import Glibc
    package import Logging
    import Synchronization
    import TLSRPTCore
    import TLSRPTStore

    /// `tlsrpt watch`: ingests what is in the folders, then what arrives in them, until stopped.
    ///
    /// One thread runs the loop: it sleeps in `poll(2)` on the inotify descriptor and a wake-up pipe, with no
    /// timeout while nothing waits (an idle watch uses no CPU), turns events into inputs (``WatchedTree``),
    /// collects them for a short window (``InputBatcher``) and hands each batch to the ``Ingester``, which
    /// commits before it moves maildir messages. Because the loop ingests on its own thread, events that
    /// arrive meanwhile wait in the kernel's queue; if that queue overflows, the loop reads every folder again.
    ///
    /// A rescan (at start, on overflow, on a folder re-created or moved, on ``rescan(reason:)``) replaces the
    /// inotify instance, watches first and lists second, so a file arriving in between is seen at least once;
    /// the ingester skips inputs it has seen, so nothing is stored twice.
    ///
    /// ``stop()`` and ``rescan(reason:)`` are safe from any thread (signal handlers call them): they record
    /// the request and wake the loop. Stopping finishes the batch in hand; inputs not yet read stay where
    /// they are and the next start reads them.
    package final class WatchSession: Sendable {
        package struct Configuration: Sendable {
            /// How long the first input of a batch waits for others.
            package var batchWindow: Duration
            /// Inputs per batch (and per transaction) at most.
            package var batchLimit: Int

            /// How long a plain file found by a scan must stay unmodified before it is read (see ``SettlingFiles``).
            package var settleTime: Duration

            package init(batchWindow: Duration = .milliseconds(100), batchLimit: Int = 512, settleTime: Duration = .seconds(1)) {
                self.batchWindow = batchWindow
                self.batchLimit = batchLimit
                self.settleTime = settleTime
            }
        }

        struct Requests {
            var stop = false
            var rescans: [String] = []
            /// Set once the first scan has listed the folders and every watch is in place.
            var watching = false
        }

        /// The folders named by the user, trailing slashes removed.
        package let roots: [String]
        let ingester: Ingester
        let configuration: Configuration
        let logger: Logger
        let wakeup: Wakeup
        let requests = Mutex(Requests())

        package init(roots: [String], ingester: Ingester, configuration: Configuration = Configuration(), logger: Logger) throws(WatchError) {
            var normalised: [String] = []
            for root in roots {
                var path = root
                while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                    throw WatchError(.notADirectory, "\(root) is not a folder (tlsrpt watch reads maildirs and plain folders; create it first)")
                }
                if !normalised.contains(path) { normalised.append(path) }
            }
            self.roots = normalised
            self.ingester = ingester
            self.configuration = configuration
            self.logger = logger
            self.wakeup = try Wakeup()
        }

        /// Asks the loop to finish the batch in hand and return.
        package func stop() {
            requests.withLock { $0.stop = true }
            wakeup.signal()
        }

        /// Asks the loop to read every folder again (SIGHUP).
        package func rescan(reason: String) {
            requests.withLock { $0.rescans.append(reason) }
            wakeup.signal()
        }

        /// True once the folders are watched and listed: whatever arrives from then on is announced.
        package var isWatching: Bool { requests.withLock { $0.watching } }

        /// Runs until ``stop()``; returns what was ingested in all. Throws when the kernel refuses to watch or
        /// the database refuses a batch.
        package func run() throws(WatchError) -> IngestTally {
            let loop = try WatchLoop(session: self)
            return try loop.run()
        }

        func takeRequests() -> Requests {
            requests.withLock { requests in
                let taken = requests
                requests.rescans = []
                return taken
            }
        }
    }

    /// The state of a running watch, owned by the one thread that runs it.
    final class WatchLoop {
        let session: WatchSession
        var inotify: InotifyWatcher
        var tree = WatchedTree()
        var batcher: InputBatcher
        var settling: SettlingFiles
        /// Where the last batch moved maildir messages (`new/` to `cur/`): the events those renames cause
        /// are ours, not deliveries, and are dropped once, in the next read of the queue.
        var ownMoves: Set<String> = []
        var total = IngestTally()
        var logger: Logger { session.logger }

        init(session: WatchSession) throws(WatchError) {
            self.session = session
            inotify = try InotifyWatcher()
            batcher = InputBatcher(window: session.configuration.batchWindow, limit: session.configuration.batchLimit)
            settling = SettlingFiles(quiet: session.configuration.settleTime)
        }

        func run() throws(WatchError) -> IngestTally {
            // Named so that `top -H` and /proc/PID/task show which thread is the watch (pthread_setname_np is
            // not visible from Swift's Glibc module; this is what it does).
            try? "tlsrpt-watch".write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8)
            try rescan(reason: nil)
            session.requests.withLock { $0.watching = true }
            while true {
                let requests = session.takeRequests()
                if requests.stop {
                    if !batcher.isEmpty { try ingest(batcher.take()) }
                    break
                }
                if !requests.rescans.isEmpty {
                    try rescan(reason: requests.rescans.joined(separator: "; "))
                    continue
                }
                var descriptors = [
                    pollfd(fd: inotify.descriptor, events: Int16(POLLIN), revents: 0),
                    pollfd(fd: session.wakeup.readEnd, events: Int16(POLLIN), revents: 0),
                ]
                let now = ContinuousClock.now
                let timeouts = [batcher.pollTimeout(now: now), settling.pollTimeout(now: now)].filter { $0 >= 0 }
                let ready = poll(&descriptors, 2, timeouts.min() ?? -1)
                if ready < 0 {
                    if errno == EINTR { continue }
                    throw WatchError(.cannotRead, "cannot wait for folder events: \(InotifyWatcher.lastError())")
                }
                if descriptors[1].revents != 0 { session.wakeup.drain() }
                if descriptors[0].revents != 0 { try handle(try inotify.drain()) }
                for item in settling.settled(now: .now) { batcher.add(item, now: .now) }
                // One batch per turn, so that a stop request is seen between batches of a long rescan.
                if batcher.isDue(now: .now) { try ingest(batcher.take()) }
            }
            logger.info("stopped; in all: stored \(total.ingested), duplicates \(total.duplicates), rejected \(total.rejected)")
            return total
        }

        // MARK: - Events

        func handle(_ events: [InotifyEvent]) throws(WatchError) {
            var rescanReason: String?
            let now = ContinuousClock.now
            for event in events {
                for action in tree.actions(for: event) {
                    switch action {
                    case .ingestFile(let path):
                        settling.announced(path)
                        batcher.add(InputItem(path: path, kind: .file), now: now)
                    case .ingestMessage(let message):
                        if ownMoves.remove(message.path) != nil { continue }
                        batcher.add(InputItem(path: message.path, kind: .maildirMessage(message)), now: now)
                    case .directoryAppeared(let path):
                        let parent = Self.split(path).parent
                        if InputEnumerator.isMaildir(parent) {
                            rescanReason = rescanReason ?? "a maildir appeared at \(parent)"
                        } else {
                            try watch(directory: path)
                            for item in settling.admit(InputEnumerator.items(for: [path]).items, now: now) { batcher.add(item, now: now) }
                        }
                    case .rescan(let reason):
                        rescanReason = rescanReason ?? reason
                    case .forget(let watch):
                        tree.forget(watch: watch)
                    }
                }
            }
            ownMoves.removeAll()
            if let rescanReason { try rescan(reason: rescanReason) }
        }

        // MARK: - Watches and rescans

        /// Starts over: a new inotify instance (dropping every watch and queued event), watches on every
        /// folder, then every input listed. Watching before listing means an arrival in between is listed, or
        /// announced, or both; never neither.
        func rescan(reason: String?) throws(WatchError) {
            if let reason { logger.notice("rescanning: \(UntrustedText.sanitised(reason, limit: 300))") }
            inotify = try InotifyWatcher()
            tree = WatchedTree()
            ownMoves.removeAll()
            var present: [String] = []
            for root in session.roots {
                if root != "/" {
                    let (parent, name) = Self.split(root)
                    try add(parent, role: .rootParent(names: [name]))
                }
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue {
                    try watch(directory: root)
                    present.append(root)
                } else {
                    logger.warning("\(UntrustedText.sanitised(root, limit: 300)) is gone; it is read again when it comes back")
                }
            }
            let now = ContinuousClock.now
            let items = InputEnumerator.items(for: present).items
            let ready = settling.admit(items, now: now)
            for item in ready { batcher.add(item, now: now) }
            let waiting = items.count - ready.count
            logger.info(
                "watching \(tree.entries.count) folder(s); \(items.count) input(s) to read\(waiting > 0 ? " (\(waiting) modified just now, read once unchanged for a moment)" : "")"
            )
        }

        /// Watches a maildir's `new/` and `cur/` (and its root), or a plain folder and every folder below it.
        func watch(directory path: String) throws(WatchError) {
            if InputEnumerator.isMaildir(path) {
                try add(path, role: .maildirRoot(maildir: path))
                for folder in ["new", "cur"] {
                    try add("\(path)/\(folder)", role: .maildirFolder(maildir: path, folder: folder))
                }
                return
            }
            guard try add(path, role: .plain) else { return }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            for name in names.sorted() where !name.hasPrefix(".") {
                let child = path.hasSuffix("/") ? path + name : "\(path)/\(name)"
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: child, isDirectory: &isDirectory), isDirectory.boolValue {
                    try watch(directory: child)
                }
            }
        }

        /// The folder holding `path` and the name in it: `M` is `.`'s `M`, `/a` is `/`'s `a`. (Foundation's
        /// `deletingLastPathComponent` traps on a relative one-component path on Linux.)
        static func split(_ path: String) -> (parent: String, name: String) {
            guard let slash = path.lastIndex(of: "/") else { return (".", path) }
            let parent = String(path[..<slash])
            return (parent.isEmpty ? "/" : parent, String(path[path.index(after: slash)...]))
        }

        /// False when the folder vanished before it could be watched.
        @discardableResult
        func add(_ path: String, role: WatchedTree.Role) throws(WatchError) -> Bool {
            guard let watch = try inotify.add(path, mask: WatchedTree.mask(for: role)) else { return false }
            tree.record(watch: watch, path: path, role: role)
            return true
        }

        // MARK: - Batches

        func ingest(_ items: [InputItem]) throws(WatchError) {
            guard !items.isEmpty else { return }
            let started = ContinuousClock.now
            let logger = self.logger
            var tally = IngestTally()
            // A database that is busy or out of reach for a moment (a lock held past the busy timeout, a
            // PostgreSQL server restarting, a lost connection) is waited for, 1 + 2 + 4 + 8 s, before the
            // watch gives up; the batch wrote nothing, its inputs are where they were, and nothing is skipped.
            var attempt = 0
            while true {
                do {
                    tally = try session.ingester.ingest(items) { input, reason in
                        // File names and reasons come from strangers: one sanitised line each, never a forged one.
                        logger.warning("rejected \(UntrustedText.sanitised(input, limit: 300)): \(UntrustedText.sanitised(reason, limit: 300))")
                    }
                    break
                } catch where [.busy, .contention].contains(error.code) && attempt < 4 {
                    let pause = 1 << attempt
                    attempt += 1
                    logger.warning("cannot store the batch now (\(error.message)); trying again in \(pause) s")
                    sleep(UInt32(pause))
                } catch {
                    throw WatchError(.cannotStore, error.message)
                }
            }
            total += tally
            for item in items {
                if case .maildirMessage(let message) = item.kind, message.acceptedPath != message.path {
                    ownMoves.insert(message.acceptedPath)
                }
            }
            let elapsed = (ContinuousClock.now - started).components
            let milliseconds = elapsed.seconds * 1000 + elapsed.attoseconds / 1_000_000_000_000_000
            logger.info(
                "batch of \(items.count) input(s): stored \(tally.ingested), duplicates \(tally.duplicates), rejected \(tally.rejected) in \(milliseconds) ms"
            )
        }
    }
#endif
