import NIOConcurrencyHelpers
import NIOPosix

/// Runs the CPU-heavy part of a request (inflate, parse, decode, hash) on threads of its own, a bounded
/// number at a time, with a bounded queue before them.
///
/// Request handlers run on Swift's cooperative pool, one thread per core. Decoding a 16 MiB report there
/// took a thread for a second or more, so a few large reports in flight left nothing to answer `/healthz`
/// (1.5 s with four in flight on two cores) and each held ~60 MiB at once. Here at most `workers` decodes
/// run at a time (so memory is bounded by workers, not by clients), on a `NIOThreadPool`, leaving the
/// cooperative pool free; at most `maxWaiting` more wait for a worker, and past that a request gets 503
/// with `Retry-After` instead of queueing without end.
final class DecodeQueue: Sendable {
    let workers: Int
    let maxWaiting: Int
    private let pool: NIOThreadPool
    /// Jobs admitted and not yet finished (running or waiting).
    private let admitted = NIOLockedValueBox(0)

    init(workers: Int, maxWaiting: Int) {
        self.workers = max(1, workers)
        self.maxWaiting = max(0, maxWaiting)
        pool = NIOThreadPool(numberOfThreads: self.workers)
        pool.start()
    }

    deinit {
        // Work still queued has no one to answer any more; the threads end once the pool has drained.
        pool.shutdownGracefully { _ in }
    }

    /// Runs `work` on a decode worker and returns its result, or throws `busy` (503) when the queue is full.
    func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async throws(EndpointError) -> T {
        let capacity = workers + maxWaiting
        let entered = admitted.withLockedValue { count -> Bool in
            guard count < capacity else { return false }
            count += 1
            return true
        }
        guard entered else {
            throw EndpointError(.busy, "every decoder is busy and \(maxWaiting) reports are waiting; try again shortly")
        }
        defer { admitted.withLockedValue { $0 -= 1 } }
        do {
            return try await pool.runIfActive(work)
        } catch {
            // The pool is shutting down with the server.
            throw EndpointError(.busy, "the server is shutting down; try again shortly")
        }
    }

    /// Jobs running or waiting now (for metrics and tests).
    var inFlight: Int { admitted.withLockedValue { $0 } }
}
