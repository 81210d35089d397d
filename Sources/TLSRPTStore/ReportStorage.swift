package import Foundation

/// What the pipeline and the analysis ask of a database, whichever it is: the SQLite file (``ReportStore``, the
/// default) or a PostgreSQL server that several collector hosts share (`PostgresReportStore`).
///
/// Every backend keeps the same semantics, which the shared store tests hold both to: a report's identity
/// (organisation, report-id, date range) stored once, a second version of it kept and flagged with only the
/// heavier one counting, the counting rule decided at insert, seen-input hashes committed with what their
/// inputs yielded, rejections with their reasons, the raw report kept. A batch commits as one transaction or
/// not at all. Reads return plain values (``SummaryCells``, ``EvidenceRows``, …), so that what the analysis
/// builds from them cannot tell the backends apart.
package protocol ReportStorage: AnyObject, Sendable {
    /// Where the database is, as messages name it: a file's path, or a URL without its password.
    var location: String { get }

    // MARK: Writing

    /// Writes a batch in one transaction and says, per report, whether it was new, a duplicate, or refused.
    func commit(_ batch: StoreBatch, now: Date) throws(StoreError) -> [InsertOutcome]
    /// Which of these input hashes were seen before, and with what outcome.
    func seenInputs(_ hashes: [[UInt8]]) throws(StoreError) -> [[UInt8]: InputOutcome]
    /// Counts the raw copies of rejected inputs of `channel` kept now.
    func loadRawCopyBudget(channel: Provenance.Channel, maxBytes: Int) throws(StoreError) -> RawCopyBudget
    /// Drops the oldest raw copies until the channel's fit the budget again; returns how many it dropped.
    func enforce(_ budget: inout RawCopyBudget) throws(StoreError) -> Int

    // MARK: Reading for the analysis

    /// The summary's cells, the diagnosis evidence and (unless `daily` is false) the daily series of one
    /// filter, read from one snapshot so that they agree while an ingest writes.
    func periodRows(_ filter: ReportFilter, daily: Bool) throws(StoreError) -> PeriodRows
    func summaryCells(_ filter: ReportFilter) throws(StoreError) -> SummaryCells
    func evidenceRows(_ filter: ReportFilter) throws(StoreError) -> EvidenceRows
    func dailyTotals(_ filter: ReportFilter) throws(StoreError) -> [DailyTotals]
    /// Failure details one by one, newest report first.
    func failureRows(_ filter: FailureRowFilter) throws(StoreError) -> [FailureDetailRow]

    // MARK: Listing

    func reports(_ filter: ReportFilter, limit: Int?) throws(StoreError) -> [StoredReportRow]
    func report(id: Int64) throws(StoreError) -> StoredReportDetail?
    func rejections(limit: Int?) throws(StoreError) -> [RejectionRow]
    func rejectedInput(id: Int64) throws(StoreError) -> [UInt8]?

    // MARK: Maintenance

    /// Problems found by an integrity check; empty when there are none.
    func check() throws(StoreError) -> [String]
    func counts() throws(StoreError) -> (reports: Int, policies: Int, failures: Int, rejections: Int)
    func prune(olderThan cutoff: Date, includeRejects: Bool, dryRun: Bool, vacuum: Bool) throws(StoreError) -> PruneResult

    // MARK: Alerts and probes

    func raiseAlerts(
        _ candidates: [NewAlertRow], channels: [(channel: String, target: String)], window: TimeInterval, now: Date,
        isCovered: (_ candidate: NewAlertRow, _ earlier: NewAlertRow) -> Bool
    ) throws(StoreError) -> [(index: Int, alertID: Int64, deliveries: [PendingDelivery])]
    func recordDelivery(_ delivery: PendingDelivery, delivered: Bool, attempts: Int, error: String?, now: Date) throws(StoreError)
    func openAlerts() throws(StoreError) -> [AlertRow]
    func resolvedNotices(since: Date) throws(StoreError) -> [AlertRow]
    func resolveAlert(
        _ id: Int64, notice: NewAlertRow, channels: [(channel: String, target: String)], now: Date
    ) throws(StoreError) -> (alertID: Int64, deliveries: [PendingDelivery])?
    func alerts(limit: Int?) throws(StoreError) -> [AlertRow]
    func recordProbeStatuses(_ records: [ProbeStatusRecord]) throws(StoreError)
    func probeStatuses(domain: String?) throws(StoreError) -> [ProbeStatusRecord]

    // MARK: Moving an installation

    /// Up to `limit` stored reports with ids above `afterID`, every version, oldest id first, each with what
    /// `tlsrpt copy` needs to store it again elsewhere: its raw JSON, where it came from and when.
    func exportReports(afterID: Int64, limit: Int) throws(StoreError) -> [ExportedReport]
    /// Every rejection with ids above `afterID`, oldest first, its raw copy included.
    func exportRejections(afterID: Int64, limit: Int) throws(StoreError) -> [ExportedRejection]
    /// Every seen-input hash and its outcome.
    func exportSeenInputs() throws(StoreError) -> [(hash: [UInt8], outcome: InputOutcome)]
    /// Stores rejections copied from another database, each once: by its input hash when it has one, else
    /// by its time, channel, source and reason. Returns how many were new.
    func importRejections(_ rejections: [ExportedRejection]) throws(StoreError) -> Int
}

/// The defaults of the protocol's arguments, as the SQLite store always had them.
extension ReportStorage {
    @discardableResult
    package func commit(_ batch: StoreBatch) throws(StoreError) -> [InsertOutcome] { try commit(batch, now: Date()) }
    package func periodRows(_ filter: ReportFilter) throws(StoreError) -> PeriodRows { try periodRows(filter, daily: true) }
    package func reports(_ filter: ReportFilter) throws(StoreError) -> [StoredReportRow] { try reports(filter, limit: nil) }
    package func rejections() throws(StoreError) -> [RejectionRow] { try rejections(limit: nil) }
    package func alerts() throws(StoreError) -> [AlertRow] { try alerts(limit: nil) }
    package func probeStatuses() throws(StoreError) -> [ProbeStatusRecord] { try probeStatuses(domain: nil) }
    package func recordDelivery(_ delivery: PendingDelivery, delivered: Bool, attempts: Int, error: String?) throws(StoreError) {
        try recordDelivery(delivery, delivered: delivered, attempts: attempts, error: error, now: Date())
    }
    package func prune(olderThan cutoff: Date, includeRejects: Bool = false, dryRun: Bool = false) throws(StoreError) -> PruneResult {
        try prune(olderThan: cutoff, includeRejects: includeRejects, dryRun: dryRun, vacuum: false)
    }
}

/// A stored report as `tlsrpt copy` carries it to another database.
package struct ExportedReport: Sendable {
    package var id: Int64
    /// The raw JSON, gzip-compressed, as stored.
    package var rawGzip: [UInt8]
    package var provenance: Provenance
    package var receivedAt: Date
    /// The notes stored with it (the carrying mail's disagreements with the JSON), which the JSON alone
    /// does not give back.
    package var notes: [String]
    /// The policy domain it was given when its JSON named none (from the mail's TLS-Report-Domain or the
    /// file name), so that decoding it again infers the same.
    package var inferredDomain: String?

    package init(id: Int64, rawGzip: [UInt8], provenance: Provenance, receivedAt: Date, notes: [String], inferredDomain: String?) {
        self.id = id
        self.rawGzip = rawGzip
        self.provenance = provenance
        self.receivedAt = receivedAt
        self.notes = notes
        self.inferredDomain = inferredDomain
    }
}

/// A rejection as `tlsrpt copy` carries it to another database.
package struct ExportedRejection: Sendable, Equatable {
    package var id: Int64
    package var inputHash: [UInt8]?
    package var channel: String
    package var sourceName: String
    package var reason: String
    package var keptAt: String?
    package var receivedAt: Int64
    package var raw: [UInt8]?

    package init(
        id: Int64, inputHash: [UInt8]?, channel: String, sourceName: String, reason: String, keptAt: String?, receivedAt: Int64, raw: [UInt8]?
    ) {
        self.id = id
        self.inputHash = inputHash
        self.channel = channel
        self.sourceName = sourceName
        self.reason = reason
        self.keptAt = keptAt
        self.receivedAt = receivedAt
        self.raw = raw
    }
}
