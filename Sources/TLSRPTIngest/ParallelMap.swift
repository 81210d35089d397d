import Foundation
import Synchronization

extension Array where Element: Sendable {
    /// Maps on every core. Decoding a report is pure CPU work, and a batch of a few hundred inputs splits
    /// evenly, so `concurrentPerform` beats task groups here (no allocation per element).
    func parallelMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
        parallelPrefixMap(budget: .max, cost: { _ in 0 }, transform)
    }

    /// Maps a prefix of the array on every core, stopping once the results' costs reach `budget`.
    ///
    /// Each worker claims the next element only while the costs so far are under the budget, and finishes
    /// every element it claims, so the elements mapped are exactly a prefix (at least one, when there is
    /// one) and the budget is overrun by at most one element per core. That is what keeps memory bounded
    /// when the cost of an element (what a small gzip file inflates to) is known only after mapping it,
    /// while a group of a few dozen elements per dispatch keeps both cores busy: dispatching two elements
    /// at a time spent a third of the CPU waking threads.
    func parallelPrefixMap<T: Sendable>(
        budget: Int, cost: @Sendable (T) -> Int, workers: Int = ProcessInfo.processInfo.activeProcessorCount,
        _ transform: @Sendable (Element) -> T
    ) -> [T] {
        guard !isEmpty else { return [] }
        // With one worker, `concurrentPerform` runs the single iteration on the calling thread.
        let workers = Swift.max(1, Swift.min(count, workers))
        let claims = Claims()
        var results = [T?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let output = buffer
            let input = self
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while claims.spent.load(ordering: .relaxed) < budget {
                    let index = claims.next.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard index < input.count else { return }
                    let result = transform(input[index])
                    claims.spent.wrappingAdd(cost(result), ordering: .relaxed)
                    output[index] = result
                }
            }
        }
        var mapped: [T] = []
        mapped.reserveCapacity(count)
        for case let result? in results {
            mapped.append(result)
        }
        return mapped
    }
}

/// The shared counters of one `parallelPrefixMap`: the next element to claim and the costs so far.
private final class Claims: Sendable {
    let next = Atomic<Int>(0)
    let spent = Atomic<Int>(0)
}
