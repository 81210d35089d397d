import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs `/bin/sh -c LINE` with bytes on its standard input and extra environment variables, and waits at most
/// a timeout for it to exit.
///
/// Foundation's `Process` cannot do what an alert channel needs: the command runs in a process group of its
/// own, so that on timeout the whole group is killed (`sh -c 'curl …; sleep 60'` leaves no orphan holding our
/// standard error open; what a command starts in the background and leaves running after it exits is its own); its standard output goes to our standard error (an `ingest --json` keeps its one
/// line on stdout); and the signals `watch` and `serve` ignore for their own handling (SIGTERM, SIGINT,
/// SIGHUP, SIGPIPE) are back to their defaults in the child.
struct ShellCommand: Sendable {
    /// How a run ended.
    enum Ending: Sendable, Equatable {
        case exited(Int32)
        case killedBySignal(Int32)
        case timedOut
    }

    var line: String
    var environment: [String: String]

    /// Runs the command to its end or to the timeout; throws only when it cannot be started.
    func run(input: [UInt8], timeout: Double) async throws(AlertDeliveryError) -> Ending {
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { throw AlertDeliveryError(.cannotStart, "cannot make a pipe: \(String(cString: strerror(errno)))") }
        let (readEnd, writeEnd) = (pipeEnds[0], pipeEnds[1])
        // Other commands started meanwhile must not inherit our end: the reader would never see end of file.
        _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)

        let pid: pid_t
        do throws(AlertDeliveryError) {
            pid = try spawn(stdin: readEnd)
        } catch {
            close(readEnd)
            close(writeEnd)
            throw error
        }
        close(readEnd)

        // The input goes in from a thread of its own: a command that does not read must not block us, and a
        // pipe holds 64 KiB at most.
        Thread.detachNewThread {
            // A command that exits without reading it all makes the write fail with EPIPE; SIGPIPE, which would
            // end the whole process, is blocked on this thread only (it is sent to the thread that wrote).
            var pipeSignal = sigset_t()
            sigemptyset(&pipeSignal)
            sigaddset(&pipeSignal, SIGPIPE)
            pthread_sigmask(SIG_BLOCK, &pipeSignal, nil)
            input.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = write(writeEnd, buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0 && errno == EINTR { continue }
                    if written <= 0 { break }  // EPIPE: the command exited without reading it all
                    offset += written
                }
            }
            close(writeEnd)
        }

        // One thread of its own waits for the exit and kills the group at the deadline: no timer on a shared
        // queue that busy threads could delay, and no other thread that could signal a reaped (reused) id.
        let ending: Ending = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(returning: Self.wait(for: pid, timeout: timeout))
            }
        }
        return ending
    }

    /// Polls for the exit every 10 ms until the deadline, then kills the process group and reaps the shell.
    private static func wait(for pid: pid_t, timeout: Double) -> Ending {
        let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { break }
            if result < 0 && errno != EINTR { return .exited(-1) }
            if ContinuousClock.now >= deadline {
                kill(-pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                return .timedOut
            }
            usleep(10_000)
        }
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .killedBySignal(signal)
    }

    private func spawn(stdin: Int32) throws(AlertDeliveryError) -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGXFSZ] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var noMask = sigset_t()
        sigemptyset(&noMask)
        posix_spawnattr_setsigmask(&attributes, &noMask)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, 2, 1)

        var variables = ProcessInfo.processInfo.environment
        for (name, value) in environment { variables[name] = value }
        let arguments: [String] = ["/bin/sh", "-c", line]
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { (text: String) in strdup(text) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = variables.map { (name: String, value: String) in strdup("\(name)=\(value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw AlertDeliveryError(.cannotStart, "cannot start /bin/sh -c '\(line)': \(String(cString: strerror(result)))")
        }
        return pid
    }
}
