package import Foundation
import TLSRPTCore
import TLSRPTExtract
package import TLSRPTStore

/// Moves an installation from one database to another (SQLite to PostgreSQL and back): every report version
/// with its raw JSON, provenance and time of arrival, every rejection with its raw copy, and every seen-input
/// hash, so that the folders a collector reads are not ingested again after the move.
///
/// Reports travel as their raw JSON and are stored through the destination's own ``ReportStorage/commit(_:now:)``,
/// so that its identity, conflict and counting rules decide exactly as they would have (they do not depend on
/// the order reports arrive in). Running it again copies nothing new: a report already there is a duplicate,
/// a rejection is matched by its input hash (or its time, source and reason), a hash is kept once.
package struct StoreCopy {
    package struct Tally: Sendable, Equatable {
        package var reports = 0
        package var duplicates = 0
        package var rejections = 0
        package var seenInputs = 0
        /// Reports whose raw JSON no longer decodes (a stored report from a version with other rules): named
        /// by their id in the source, which still holds them.
        package var undecodable: [(id: Int64, reason: String)] = []

        package static func == (a: Tally, b: Tally) -> Bool {
            (a.reports, a.duplicates, a.rejections, a.seenInputs) == (b.reports, b.duplicates, b.rejections, b.seenInputs)
                && a.undecodable.map(\.id) == b.undecodable.map(\.id)
        }
    }

    package var batchSize = 256
    /// The most a raw report may decompress to (the limit the ingest applied when it was stored).
    package var maxReportBytes = ExtractionLimits().maxDecompressedBytes
    private let decoder = ReportDecoder()

    package init() {}

    /// Copies everything from `source` to `destination`; `progress` is told the running tally after each batch.
    package func run(
        from source: any ReportStorage, to destination: any ReportStorage, progress: (Tally) -> Void = { _ in }
    ) throws(StoreError) -> Tally {
        var tally = Tally()
        var after: Int64 = 0
        while true {
            let exported = try source.exportReports(afterID: after, limit: batchSize)
            guard let last = exported.last else { break }
            after = last.id
            var batch = StoreBatch()
            for report in exported {
                do {
                    batch.reports.append(try incoming(report))
                } catch {
                    tally.undecodable.append((report.id, String(describing: error)))
                }
            }
            for outcome in try destination.commit(batch, now: Date()) {
                switch outcome {
                case .stored: tally.reports += 1
                case .duplicate: tally.duplicates += 1
                case .rejected(let reason): tally.undecodable.append((0, reason))
                }
            }
            progress(tally)
        }
        after = 0
        while true {
            let rejections = try source.exportRejections(afterID: after, limit: batchSize)
            guard let last = rejections.last else { break }
            after = last.id
            tally.rejections += try destination.importRejections(rejections)
        }
        let seen = try source.exportSeenInputs()
        var start = 0
        while start < seen.count {
            var batch = StoreBatch()
            batch.seenInputs = Array(seen[start..<min(seen.count, start + 4096)])
            let known = try destination.seenInputs(batch.seenInputs.map(\.hash))
            batch.seenInputs.removeAll { known[$0.hash] != nil }
            if !batch.seenInputs.isEmpty { try destination.commit(batch, now: Date()) }
            tally.seenInputs += batch.seenInputs.count
            start += 4096
        }
        progress(tally)
        return tally
    }

    /// A stored report made ready to be stored again: decoded from its raw JSON as when it arrived.
    func incoming(_ report: ExportedReport) throws -> IncomingReport {
        let json = Gzip.hasMagic(report.rawGzip) ? try Gzip.decompress(report.rawGzip, limit: maxReportBytes) : report.rawGzip
        var decoded = try decoder.decode(json, context: ReportDecoder.Context(fallbackPolicyDomain: report.inferredDomain))
        decoded.report.notes = report.notes
        return IncomingReport(decoded: decoded, rawGzip: report.rawGzip, provenance: report.provenance, receivedAt: report.receivedAt)
    }
}
