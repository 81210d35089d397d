import Foundation
import GRDB
import TLSRPTCore

/// The slow path of ``ReportStore/commit(_:now:)``: a batch in which the database refused a report.
extension ReportStore {
    /// Errors that belong to one report's data rather than to the database: a constraint it breaks, a
    /// value too large or of the wrong type. Anything else (busy, full, read-only, I/O, corruption) would
    /// fail every report alike, so it fails the batch, which is then retried as a whole.
    static func isReportProblem(_ error: DatabaseError) -> Bool {
        switch error.resultCode.primaryResultCode {
        case .SQLITE_CONSTRAINT, .SQLITE_TOOBIG, .SQLITE_MISMATCH, .SQLITE_RANGE: true
        default: false
        }
    }

    /// Inserts the reports one by one, each in a savepoint, and turns those the database refuses into
    /// `.rejected` outcomes.
    static func insertOneByOne(
        _ reports: [IncomingReport], receivedAt: Int64, cache: inout InsertCache, db: Database
    ) throws -> [InsertOutcome] {
        var outcomes: [InsertOutcome] = []
        outcomes.reserveCapacity(reports.count)
        for incoming in reports {
            do {
                var outcome: InsertOutcome?
                try db.inSavepoint {
                    outcome = try insert(incoming, receivedAt: receivedAt, cache: &cache, db: db)
                    return .commit
                }
                outcomes.append(outcome!)
            } catch let error as DatabaseError where isReportProblem(error) {
                // Ids the rolled-back report created are gone with it.
                cache.forgetIDs()
                let report = incoming.decoded.report
                let detail = UntrustedText.sanitised(error.message ?? "\(error.resultCode)", limit: 200)
                outcomes.append(
                    .rejected(
                        reason: "the database refused the report \(UntrustedText.sanitised(report.organizationName, limit: 60)) "
                            + "\(UntrustedText.sanitised(report.reportID, limit: 60)): \(detail)"))
            }
        }
        return outcomes
    }

    /// Records each refused report as a rejection of its input, and returns the hashes of the inputs of
    /// which nothing was stored (their `seen_input` outcome becomes "rejected").
    static func recordRefused(
        _ batch: StoreBatch, outcomes: [InsertOutcome], receivedAt: Int64, db: Database
    ) throws -> Set<[UInt8]> {
        var refused: [Int] = []
        var storedInputs = Set<[UInt8]>()
        for (index, outcome) in outcomes.enumerated() {
            if case .rejected = outcome {
                refused.append(index)
            } else if let hash = batch.origin(of: index).inputHash {
                storedInputs.insert(hash)
            }
        }
        var rejectedInputs = Set<[UInt8]>()
        for index in refused {
            guard case .rejected(let reason) = outcomes[index] else { continue }
            let origin = batch.origin(of: index)
            let nothingStored = origin.inputHash.map { !storedInputs.contains($0) } ?? true
            if nothingStored, let hash = origin.inputHash { rejectedInputs.insert(hash) }
            try insert(
                IncomingRejection(
                    provenance: batch.reports[index].provenance, reason: reason,
                    keptAt: nothingStored ? origin.keptAtIfRejected : origin.keptAtIfStored, raw: origin.raw,
                    inputHash: origin.inputHash),
                receivedAt: receivedAt, db: db)
        }
        return rejectedInputs
    }
}
