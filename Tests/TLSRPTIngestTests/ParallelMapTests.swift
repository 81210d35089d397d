import Foundation
import Synchronization
import Testing

@testable import TLSRPTIngest

/// The budgeted map that bounds what a group of inputs may inflate to: what it maps must be a prefix, in
/// order, and it must stop soon after the budget is spent.
struct ParallelMapTests {
    @Test func mapsEveryElementInOrderWhenTheBudgetIsAmple() {
        let input = Array(0..<1_000)
        let output = input.parallelPrefixMap(budget: .max, cost: { _ in 1 }) { $0 * 3 }
        #expect(output == input.map { $0 * 3 })
    }

    @Test func stopsAtAPrefixOnceTheBudgetIsSpent() {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let input = Array(0..<200)
        // Each element costs 10: a budget of 50 is reached after 5 elements, and each core may have claimed
        // one more before it saw that.
        let output = input.parallelPrefixMap(budget: 50, cost: { _ in 10 }) { $0 }
        #expect(output == Array(0..<output.count))
        #expect(output.count >= 5)
        #expect(output.count <= 5 + cores)
    }

    @Test func oneWorkerMapsInPlaceAndStopsExactlyAtTheBudget() {
        // One worker (while a commit holds the other core) claims nothing past the budget: 5 elements of 10.
        let output = Array(0..<200).parallelPrefixMap(budget: 50, cost: { _ in 10 }, workers: 1) { $0 * 2 }
        #expect(output == Array(0..<5).map { $0 * 2 })
        #expect(Array(0..<7).parallelPrefixMap(budget: .max, cost: { _ in 1 }, workers: 1) { $0 } == Array(0..<7))
    }

    @Test func alwaysMapsAtLeastOneElement() {
        let output = [7, 8, 9].parallelPrefixMap(budget: 1, cost: { _ in 1_000 }) { $0 }
        #expect(output.first == 7)
        #expect(output == Array([7, 8, 9].prefix(output.count)))
    }

    @Test func mapsEachElementExactlyOnce() {
        let calls = Mutex([Int: Int]())
        let input = Array(0..<500)
        _ = input.parallelMap { value in
            calls.withLock { $0[value, default: 0] += 1 }
            return value
        }
        let counts = calls.withLock { $0 }
        #expect(counts.count == 500)
        #expect(counts.values.allSatisfy { $0 == 1 })
    }

    @Test func emptyAndSingleInputs() {
        #expect([Int]().parallelPrefixMap(budget: 0, cost: { _ in 1 }) { $0 }.isEmpty)
        #expect([4].parallelMap { $0 + 1 } == [5])
    }
}
