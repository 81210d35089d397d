/// What an ingest did, as `tlsrpt ingest` prints it: `ingested N, duplicates M, rejected K`.
package struct IngestTally: Sendable, Equatable {
    /// Reports stored for the first time.
    package var ingested = 0
    /// Reports already stored, and inputs already seen.
    package var duplicates = 0
    /// Inputs that yielded no report (each with a reason on stderr and in `tlsrpt rejects`).
    package var rejected = 0
    /// Reports stored whose organisation and report-id clash with a different stored report.
    package var conflicts = 0
    /// Of the duplicates, inputs an earlier run rejected: skipped again, but a person should know they are
    /// not reports already stored (`tlsrpt rejects` says why).
    package var rejectedBefore = 0

    package init(ingested: Int = 0, duplicates: Int = 0, rejected: Int = 0, conflicts: Int = 0, rejectedBefore: Int = 0) {
        self.ingested = ingested
        self.duplicates = duplicates
        self.rejected = rejected
        self.conflicts = conflicts
        self.rejectedBefore = rejectedBefore
    }

    package static func += (lhs: inout IngestTally, rhs: IngestTally) {
        lhs.ingested += rhs.ingested
        lhs.duplicates += rhs.duplicates
        lhs.rejected += rhs.rejected
        lhs.conflicts += rhs.conflicts
        lhs.rejectedBefore += rhs.rejectedBefore
    }

    package var line: String { "ingested \(ingested), duplicates \(duplicates), rejected \(rejected)" }

    /// The note for inputs rejected before, or nil when there were none.
    package var rejectedBeforeNote: String? {
        guard rejectedBefore > 0 else { return nil }
        let inputs = rejectedBefore == 1 ? "1 input was" : "\(rejectedBefore) inputs were"
        return "note: \(inputs) rejected before and skipped again (counted as duplicates); tlsrpt rejects shows why"
    }
}
