package import Foundation
import GRDB
import TLSRPTCore

/// A stored report as `tlsrpt reports` lists it.
package struct StoredReportRow: Sendable, Equatable {
    package var id: Int64
    package var organization: String
    package var reportID: String
    package var start: Date
    package var end: Date
    package var channel: String
    package var sourceName: String
    package var successful: Int64
    package var failed: Int64
    package var domains: [String]
    package var conflict: Bool
    /// Whether this version counts in summaries: of several versions of one report (a conflict), one does.
    package var counts: Bool = true

    package init(id: Int64, organization: String, reportID: String, start: Date, end: Date, channel: String, sourceName: String, successful: Int64, failed: Int64, domains: [String], conflict: Bool, counts: Bool = true) {
        self.id = id
        self.organization = organization
        self.reportID = reportID
        self.start = start
        self.end = end
        self.channel = channel
        self.sourceName = sourceName
        self.successful = successful
        self.failed = failed
        self.domains = domains
        self.conflict = conflict
        self.counts = counts
    }
}

/// A rejected input as `tlsrpt rejects` lists it.
package struct RejectionRow: Sendable, Equatable {
    package var id: Int64
    package var channel: String
    package var sourceName: String
    package var reason: String
    package var keptAt: String?
    package var receivedAt: Date
    package var hasRawCopy: Bool

    package init(id: Int64, channel: String, sourceName: String, reason: String, keptAt: String?, receivedAt: Date, hasRawCopy: Bool) {
        self.id = id
        self.channel = channel
        self.sourceName = sourceName
        self.reason = reason
        self.keptAt = keptAt
        self.receivedAt = receivedAt
        self.hasRawCopy = hasRawCopy
    }
}

/// One stored report in full: its provenance, notes, and raw JSON.
package struct StoredReportDetail: Sendable {
    package var row: StoredReportRow
    package var contactInfo: String?
    package var provenance: Provenance
    package var receivedAt: Date
    package var notes: [String]
    package var rawGzip: [UInt8]

    package init(row: StoredReportRow, contactInfo: String?, provenance: Provenance, receivedAt: Date, notes: [String], rawGzip: [UInt8]) {
        self.row = row
        self.contactInfo = contactInfo
        self.provenance = provenance
        self.receivedAt = receivedAt
        self.notes = notes
        self.rawGzip = rawGzip
    }
}

extension ReportStore {
    package func reports(_ filter: ReportFilter, limit: Int? = nil) throws(StoreError) -> [StoredReportRow] {
        try read { db in
            let condition = filter.conditions(policyAlias: nil, allVersions: true)
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT r.id, r.organization, r.report_id, r.start_time, r.end_time, r.channel, r.source_name, r.conflict,
                        (SELECT \(CountSQL.sum("successful")) FROM policy WHERE report = r.id AND counted = 1),
                        (SELECT \(CountSQL.sum("failed")) FROM policy WHERE report = r.id AND counted = 1),
                        (SELECT GROUP_CONCAT(DISTINCT policy_domain) FROM policy WHERE report = r.id), r.counts
                    FROM report r WHERE \(condition.sql)
                    ORDER BY r.start_time, r.organization, r.id
                    \(limit.map { "LIMIT \($0)" } ?? "")
                    """,
                arguments: condition.arguments)
            return rows.map { Self.reportRow($0) }
        }
    }

    /// `countsColumn`: where the row has `r.counts`.
    static func reportRow(_ row: Row, countsColumn: Int = 11) -> StoredReportRow {
        let domains: String? = row[10]
        var result = StoredReportRow(
            id: row[0], organization: row[1], reportID: row[2], start: Date(timeIntervalSince1970: TimeInterval(row[3] as Int64)),
            end: Date(timeIntervalSince1970: TimeInterval(row[4] as Int64)), channel: row[5], sourceName: row[6], successful: row[8],
            failed: row[9], domains: domains.map { $0.split(separator: ",").map(String.init) } ?? [], conflict: row[7])
        result.counts = row[countsColumn]
        return result
    }

    package func report(id: Int64) throws(StoreError) -> StoredReportDetail? {
        let found: (StoredReportRow, Row)? = try read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT r.id, r.organization, r.report_id, r.start_time, r.end_time, r.channel, r.source_name, r.conflict,
                            (SELECT \(CountSQL.sum("successful")) FROM policy WHERE report = r.id AND counted = 1),
                            (SELECT \(CountSQL.sum("failed")) FROM policy WHERE report = r.id AND counted = 1),
                            (SELECT GROUP_CONCAT(DISTINCT policy_domain) FROM policy WHERE report = r.id),
                            r.contact_info, r.submitter, r.report_domain, r.message_id, r.subject_report_id, r.mail_date,
                            r.client_address, r.user_agent, r.received_at, r.notes,
                            (SELECT raw_gzip FROM report_raw WHERE report = r.id), r.counts
                        FROM report r WHERE r.id = ?
                        """, arguments: [id])
            else { return nil }
            return (Self.reportRow(row, countsColumn: 22), row)
        }
        guard let (summary, row) = found else { return nil }
        let raw: Data = row[21]
        let notes: String? = row[20]
        let channel = Provenance.Channel(rawValue: summary.channel) ?? .file
        return StoredReportDetail(
            row: summary, contactInfo: row[11],
            provenance: Provenance(
                channel: channel, name: summary.sourceName, submitter: row[12], reportDomain: row[13], messageID: row[14],
                subjectReportID: row[15], mailDate: row[16], clientAddress: row[17], userAgent: row[18]),
            receivedAt: Date(timeIntervalSince1970: TimeInterval(row[19] as Int64)),
            notes: notes.map { $0.split(separator: "\n").map(String.init) } ?? [], rawGzip: Array(raw))
    }

    package func rejections(limit: Int? = nil) throws(StoreError) -> [RejectionRow] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, channel, source_name, reason, kept_at, received_at, raw IS NOT NULL FROM rejection
                    ORDER BY id \(limit.map { "LIMIT \($0)" } ?? "")
                    """
            ).map {
                RejectionRow(
                    id: $0[0], channel: $0[1], sourceName: $0[2], reason: $0[3], keptAt: $0[4],
                    receivedAt: Date(timeIntervalSince1970: TimeInterval($0[5] as Int64)), hasRawCopy: $0[6])
            }
        }
    }

    /// The raw bytes of a rejected input that has no other home (standard input, HTTPS).
    package func rejectedInput(id: Int64) throws(StoreError) -> [UInt8]? {
        try read { db in
            (try Data.fetchOne(db, sql: "SELECT raw FROM rejection WHERE id = ?", arguments: [id])).map { Array($0) }
        }
    }
}
