#if os(Linux)
    import Glibc

    /// A self-pipe: another thread (a signal handler's queue, a test) writes a byte to wake the watch loop
    /// out of `poll(2)`. The loop then reads the requests that came with it. No wake-up, no CPU.
    final class Wakeup: Sendable {
        let readEnd: Int32
        let writeEnd: Int32

        init() throws(WatchError) {
            var ends: [Int32] = [0, 0]
            guard pipe(&ends) == 0 else { throw WatchError(.cannotInitialise, "cannot create a pipe: \(InotifyWatcher.lastError())") }
            for fd in ends {
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            }
            readEnd = ends[0]
            writeEnd = ends[1]
        }

        deinit {
            close(readEnd)
            close(writeEnd)
        }

        /// Safe from any thread. A full pipe already means "wake up", so a failed write is fine.
        func signal() {
            var byte: UInt8 = 1
            _ = write(writeEnd, &byte, 1)
        }

        func drain() {
            var bytes = [UInt8](repeating: 0, count: 64)
            while bytes.withUnsafeMutableBytes({ read(readEnd, $0.baseAddress!, $0.count) }) > 0 {}
        }
    }
#endif
