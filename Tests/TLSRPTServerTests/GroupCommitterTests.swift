import Foundation
import TLSRPTCore
import TLSRPTExtract
import TLSRPTProcessing
import TLSRPTServer
import TLSRPTStore
import Testing

struct GroupCommitterTests {
    /// `count` distinct reports: the Google report with its report-id made unique.
    static func reports(_ count: Int) throws -> [IncomingReport] {
        let template = String(decoding: try Corpus.bytes(Corpus.googleJSON), as: UTF8.self)
        let processor = InputProcessor()
        return try (0..<count).map { index in
            let json = template.replacingOccurrences(of: "2026-05-22T00:00:00Z_example.com", with: "group-\(index)")
            let result = processor.process(Array(json.utf8), provenance: Provenance(channel: .https, name: "/tlsrpt"))
            return try #require(result.reports.first)
        }
    }

    @Test func concurrentSubmissionsShareTransactionsAndEachGetsItsOwnOutcome() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        let committer = GroupCommitter(store: harness.store)
        let reports = try Self.reports(200)
        let outcomes = try await withThrowingTaskGroup(of: (Int, [InsertOutcome]).self) { group in
            for (index, report) in reports.enumerated() {
                group.addTask { (index, try await committer.commit(.init(reports: [report]))) }
            }
            var all: [Int: [InsertOutcome]] = [:]
            for try await (index, outcome) in group { all[index] = outcome }
            return all
        }
        #expect(outcomes.count == 200)
        #expect(outcomes.values.allSatisfy { $0.count == 1 })
        let ids = Set(outcomes.values.compactMap { if case .stored(let id, _) = $0[0] { id } else { nil } })
        #expect(ids.count == 200)
        let transactions = await committer.transactions
        // 200 requests arriving together cannot each have had a transaction of their own.
        #expect(transactions < 200)
        #expect(transactions >= 1)
        #expect(try harness.storedReports().count == 200)
    }

    @Test func aSubmissionLargerThanTheCapStillGoesThroughAlone() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        let committer = GroupCommitter(store: harness.store, maxReportsPerCommit: 2)
        let outcomes = try await committer.commit(.init(reports: try Self.reports(5)))
        #expect(outcomes.count == 5)
        #expect(await committer.transactions == 1)
    }

    @Test func duplicatesInOneTransactionAreRecognised() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        let committer = GroupCommitter(store: harness.store)
        let report = try Self.reports(1)[0]
        async let first = committer.commit(.init(reports: [report]))
        async let second = committer.commit(.init(reports: [report]))
        let outcomes = try await first + second
        let stored = outcomes.filter { if case .stored = $0 { true } else { false } }
        #expect(stored.count == 1)
        #expect(outcomes.count == 2)
    }
}
