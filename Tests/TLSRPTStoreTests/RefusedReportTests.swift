import Foundation
import GRDB
import TLSRPTCore
import TLSRPTTestSupport
import Testing

@testable import TLSRPTStore

/// A report the database refuses costs only its own input: the rest of the batch is stored, the refused
/// one is recorded as a rejection of its input (with its `.Rejected` place and a one-line reason), and its
/// input is remembered as rejected. Database errors still fail the whole batch (FaultTests).
struct RefusedReportTests {
    let dir = TemporaryDirectory()

    /// Three inputs; the second's report breaks the `failed >= 0` CHECK (the decoder never lets that through,
    /// so it stands for any report the database refuses).
    func batch() throws -> StoreBatch {
        var batch = StoreBatch()
        for index in 0..<3 {
            let report = try incomingReport(HostileCounts.good(reportID: "r\(index)"), name: "input-\(index)") { report in
                if index == 1 { report.policies[0].summary.failed = -1 }
            }
            let hash = [UInt8(index), 0xAA]
            batch.reports.append(report)
            batch.origins.append(ReportOrigin(inputHash: hash, keptAtIfRejected: "rejected-\(index)", keptAtIfStored: "stored-\(index)"))
            batch.seenInputs.append((hash, .stored))
        }
        return batch
    }

    @Test func theOtherReportsAreStoredAndTheRefusedOneIsRecordedAsRejected() throws {
        let store = try ReportStore(path: dir.file("db.sqlite"))
        let outcomes = try store.commit(try batch())
        #expect(outcomes.count == 3)
        guard case .stored = outcomes[0], case .rejected(let reason) = outcomes[1], case .stored = outcomes[2] else {
            Issue.record("\(outcomes)")
            return
        }
        #expect(reason.hasPrefix("the database refused the report Google Inc. r1: "), "\(reason)")
        #expect(reason.contains("CHECK constraint failed"), "\(reason)")
        #expect(!reason.contains("\n"))
        let counts = try store.counts()
        #expect(counts.reports == 2 && counts.rejections == 1)
        let rows = try store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT source_name, reason, kept_at FROM rejection")
        }
        #expect(rows.map { $0[0] as String } == ["input-1"])
        #expect(rows.map { $0[1] as String } == [reason])
        #expect(rows.map { $0[2] as String } == ["rejected-1"])
        let seen = try store.seenInputs([[0, 0xAA], [1, 0xAA], [2, 0xAA]])
        #expect(seen == [[0, 0xAA]: .stored, [1, 0xAA]: .rejected, [2, 0xAA]: .stored])
        // The rollups hold the two stored reports only: 2 × 3 failed sessions.
        #expect(try store.summaryCells(ReportFilter()).failures.map(\.failed) == [6])
        #expect(try store.check().isEmpty)
    }

    @Test func anInputWithAnotherStoredReportStaysStored() throws {
        let store = try ReportStore(path: dir.file("db.sqlite"))
        var batch = try batch()
        batch.origins[1].inputHash = batch.origins[0].inputHash
        let outcomes = try store.commit(batch)
        guard case .rejected = outcomes[1] else {
            Issue.record("\(outcomes)")
            return
        }
        let keptAt = try store.pool.read { db in try String.fetchOne(db, sql: "SELECT kept_at FROM rejection") }
        #expect(keptAt == "stored-1")
        #expect(try store.seenInputs([[0, 0xAA]]) == [[0, 0xAA]: .stored])
    }
}
