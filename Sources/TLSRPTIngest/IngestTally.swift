/// What an ingest did, as `tlsrpt ingest` prints it: `ingested N, duplicates M, rejected K`.
public struct IngestTally: Sendable, Equatable {
    /// Reports stored for the first time.
    public var ingested = 0
    /// Reports already stored, and inputs already seen.
    public var duplicates = 0
    /// Inputs that yielded no report (each with a reason on stderr and in `tlsrpt rejects`).
    public var rejected = 0
    /// Reports stored whose organisation and report-id clash with a different stored report.
    public var conflicts = 0

    public init(ingested: Int = 0, duplicates: Int = 0, rejected: Int = 0, conflicts: Int = 0) {
        self.ingested = ingested
        self.duplicates = duplicates
        self.rejected = rejected
        self.conflicts = conflicts
    }

    public static func += (lhs: inout IngestTally, rhs: IngestTally) {
        lhs.ingested += rhs.ingested
        lhs.duplicates += rhs.duplicates
        lhs.rejected += rhs.rejected
        lhs.conflicts += rhs.conflicts
    }

    public var line: String { "ingested \(ingested), duplicates \(duplicates), rejected \(rejected)" }
}
