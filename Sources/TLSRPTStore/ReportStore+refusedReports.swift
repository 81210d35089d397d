import Foundation
import GRDB
package import TLSRPTCore

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
                outcomes.append(StoreBatch.refusal(of: incoming.decoded.report, error.message ?? "\(error.resultCode)"))
            }
        }
        return outcomes
    }

    /// Records each refused report as a rejection of its input, and returns the hashes of the inputs of
    /// which nothing was stored (their `seen_input` outcome becomes "rejected").
    static func recordRefused(
        _ batch: StoreBatch, outcomes: [InsertOutcome], receivedAt: Int64, db: Database
    ) throws -> Set<[UInt8]> {
        let refusals = batch.refusals(outcomes)
        for rejection in refusals.rejections { try insert(rejection, receivedAt: receivedAt, db: db) }
        return refusals.rejectedInputs
    }
}

extension StoreBatch {
    /// What a store records when it refused some of this batch's reports (`outcomes`, in order): a rejection
    /// of each refused report's input, kept where its origin says (the `.Rejected` place when nothing else of
    /// the input was stored), and the inputs of which nothing was stored, whose seen-input outcome becomes
    /// "rejected". The same for every store.
    package func refusals(_ outcomes: [InsertOutcome]) -> (rejections: [IncomingRejection], rejectedInputs: Set<[UInt8]>) {
        var storedInputs = Set<[UInt8]>()
        for (index, outcome) in outcomes.enumerated() {
            if case .rejected = outcome { continue }
            if let hash = origin(of: index).inputHash { storedInputs.insert(hash) }
        }
        var rejections: [IncomingRejection] = []
        var rejectedInputs = Set<[UInt8]>()
        for (index, outcome) in outcomes.enumerated() {
            guard case .rejected(let reason) = outcome else { continue }
            let origin = origin(of: index)
            let nothingStored = origin.inputHash.map { !storedInputs.contains($0) } ?? true
            if nothingStored, let hash = origin.inputHash { rejectedInputs.insert(hash) }
            rejections.append(
                IncomingRejection(
                    provenance: reports[index].provenance, reason: reason,
                    keptAt: nothingStored ? origin.keptAtIfRejected : origin.keptAtIfStored, raw: origin.raw, inputHash: origin.inputHash))
        }
        return (rejections, rejectedInputs)
    }

    /// The outcome recorded for a refused report: which report, and the database's words.
    package static func refusal(of report: Report, _ detail: String) -> InsertOutcome {
        .rejected(
            reason: "the database refused the report \(UntrustedText.sanitised(report.organizationName, limit: 60)) "
                + "\(UntrustedText.sanitised(report.reportID, limit: 60)): \(UntrustedText.sanitised(detail, limit: 200))")
    }
}
