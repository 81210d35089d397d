#if os(Linux)
    import Glibc

    /// An inotify instance: the descriptor the kernel queues folder events on, the watches added to it, and
    /// a non-blocking read that drains every queued event.
    ///
    /// Non-blocking, so that the caller waits in `poll(2)` on this descriptor and its own wake-up pipe at once,
    /// and so that draining stops cleanly when the queue is empty. Closing the descriptor drops every watch
    /// and the queue with it, which is how a rescan starts afresh.
    final class InotifyWatcher {
        let descriptor: Int32
        private var buffer = [UInt8](repeating: 0, count: 64 << 10)

        init() throws(WatchError) {
            let fd = inotify_init1(Int32(O_NONBLOCK | O_CLOEXEC))
            guard fd >= 0 else {
                throw WatchError(
                    .cannotInitialise,
                    "cannot start watching: inotify_init1: \(Self.lastError()) (raise fs.inotify.max_user_instances?)")
            }
            descriptor = fd
        }

        deinit { close(descriptor) }

        /// Watches the folder at `path`; returns the watch descriptor, or nil when the folder is gone or is not
        /// a folder (it was removed between being listed and being watched). The same folder watched twice gets
        /// the same descriptor; `.maskAdd` makes the masks add up rather than replace each other.
        func add(_ path: String, mask: InotifyMask) throws(WatchError) -> Int32? {
            let wd = inotify_add_watch(descriptor, path, (mask.union([.onlyDirectory, .maskAdd])).rawValue)
            guard wd >= 0 else {
                let code = errno
                if code == ENOENT || code == ENOTDIR { return nil }
                let hint = code == ENOSPC ? " (raise fs.inotify.max_user_watches)" : ""
                throw WatchError(.cannotWatch, "cannot watch \(path): \(String(cString: strerror(code)))\(hint)")
            }
            return wd
        }

        /// Every event queued now; empty when there is none. Never blocks.
        func drain() throws(WatchError) -> [InotifyEvent] {
            var events: [InotifyEvent] = []
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
                if count < 0 {
                    if errno == EINTR { continue }
                    if errno == EAGAIN || errno == EWOULDBLOCK { return events }
                    throw WatchError(.cannotRead, "cannot read folder events: \(Self.lastError())")
                }
                if count == 0 { return events }
                buffer.withUnsafeBytes { events += InotifyEvent.parse(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
            }
        }

        static func lastError() -> String { String(cString: strerror(errno)) }
    }
#endif
