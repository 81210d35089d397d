import Foundation
import GRDB
import TLSRPTCore

/// A report on its way into the store.
public struct IncomingReport: Sendable {
    public var decoded: ReportDecoder.Decoded
    /// The raw JSON, gzip-compressed (the input itself when it came as gzip).
    public var rawGzip: [UInt8]
    public var provenance: Provenance

    /// SHA-256 of the canonical JSON: equal for the same report however it was formatted. Computed here,
    /// on whichever core decoded the report, rather than under the write lock.
    public let contentHash: [UInt8]
    /// The size of the canonical JSON, a measure of what the decoded report holds in memory.
    public let canonicalSize: Int

    public init(decoded: ReportDecoder.Decoded, rawGzip: [UInt8], provenance: Provenance) {
        self.decoded = decoded
        self.rawGzip = rawGzip
        self.provenance = provenance
        self.contentHash = ContentHash.sha256(decoded.canonicalJSON)
        self.canonicalSize = decoded.canonicalJSON.count
        // The hash is all the store needs of the canonical form; a batch keeps hundreds of these waiting
        // for their commit, so the copy (as large as the report) is not kept with them.
        self.decoded.canonicalJSON = []
    }
}

/// An input that yielded no report, and why.
public struct IncomingRejection: Sendable {
    public var provenance: Provenance
    public var reason: String
    /// Where a person finds the input now (its path, or the maildir's `.Rejected` folder).
    public var keptAt: String?
    /// The bytes themselves, for inputs that have no other home (standard input, HTTPS).
    public var raw: [UInt8]?
    public var inputHash: [UInt8]?

    public init(provenance: Provenance, reason: String, keptAt: String?, raw: [UInt8]? = nil, inputHash: [UInt8]? = nil) {
        self.provenance = provenance
        self.reason = reason
        self.keptAt = keptAt
        self.raw = raw
        self.inputHash = inputHash
    }
}

/// What became of a whole input (a file, a message): it yielded at least one report, or none.
public enum InputOutcome: String, Sendable {
    case stored, rejected
}

/// What happened to one incoming report.
public enum InsertOutcome: Sendable, Equatable {
    /// Stored as a new report. `conflict` is true when another report with the same organisation and
    /// report-id but different content was already stored: both are kept and flagged.
    case stored(id: Int64, conflict: Bool)
    /// The same report (same content) was already stored under `id`.
    case duplicate(id: Int64)
}

/// Everything one transaction writes: the reports and rejections of a batch of inputs, and the inputs'
/// hashes, so that an input counts as seen exactly when what it yielded is committed.
public struct StoreBatch: Sendable {
    public var reports: [IncomingReport] = []
    public var rejections: [IncomingRejection] = []
    /// Hashes of whole inputs (file bytes) whose every report or rejection is in this batch.
    public var seenInputs: [(hash: [UInt8], outcome: InputOutcome)] = []

    public init() {}

    public var isEmpty: Bool { reports.isEmpty && rejections.isEmpty && seenInputs.isEmpty }
}

extension ReportStore {
    /// Writes a batch in one transaction and says, per report, whether it was new or a duplicate.
    @discardableResult
    public func commit(_ batch: StoreBatch, now: Date = Date()) throws(StoreError) -> [InsertOutcome] {
        let receivedAt = Int64(now.timeIntervalSince1970)
        return try write { db in
            var outcomes: [InsertOutcome] = []
            outcomes.reserveCapacity(batch.reports.count)
            for incoming in batch.reports {
                outcomes.append(try Self.insert(incoming, hash: incoming.contentHash, receivedAt: receivedAt, db: db))
            }
            for rejection in batch.rejections {
                try Self.insert(rejection, receivedAt: receivedAt, db: db)
            }
            let seen = try db.cachedStatement(sql: "INSERT OR IGNORE INTO seen_input (hash, outcome) VALUES (?, ?)")
            for input in batch.seenInputs {
                try seen.execute(arguments: [Data(input.hash), input.outcome.rawValue])
            }
            return outcomes
        }
    }

    /// Which of these input hashes were seen before, and with what outcome.
    public func seenInputs(_ hashes: [[UInt8]]) throws(StoreError) -> [[UInt8]: InputOutcome] {
        try read { db in
            var seen: [[UInt8]: InputOutcome] = [:]
            let statement = try db.cachedStatement(sql: "SELECT outcome FROM seen_input WHERE hash = ?")
            for hash in hashes {
                if let text = try String.fetchOne(statement, arguments: [Data(hash)]), let outcome = InputOutcome(rawValue: text) {
                    seen[hash] = outcome
                }
            }
            return seen
        }
    }

    private static func insert(_ incoming: IncomingReport, hash: [UInt8], receivedAt: Int64, db: Database) throws -> InsertOutcome {
        let report = incoming.decoded.report
        let hashData = Data(hash)
        // One look-up on the identity index answers both questions: is this content already stored under
        // this identity (a duplicate), and is a different report stored under it (a conflict)?
        var clash: Int64? = nil
        let sameIdentity = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT id, content_hash FROM report WHERE organization = ? AND report_id = ?"),
            arguments: [report.organizationName, report.reportID])
        for row in sameIdentity {
            let storedHash: Data = row[1]
            if storedHash == hashData { return .duplicate(id: row[0]) }
            clash = row[0]
        }
        if clash != nil {
            try db.cachedStatement(sql: "UPDATE report SET conflict = 1 WHERE organization = ? AND report_id = ?")
                .execute(arguments: [report.organizationName, report.reportID])
        }
        let p = incoming.provenance
        try db.cachedStatement(
            sql: """
                INSERT INTO report (organization, report_id, contact_info, start_time, end_time, content_hash, conflict,
                    channel, source_name, submitter, report_domain, message_id, subject_report_id, mail_date,
                    client_address, user_agent, received_at, notes)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            report.organizationName, report.reportID, report.contactInfo,
            Int64(report.dateRange.start.timeIntervalSince1970.rounded(.down)),
            Int64(report.dateRange.end.timeIntervalSince1970.rounded(.down)),
            hashData, clash != nil, p.channel.rawValue, p.name, p.submitter, p.reportDomain, p.messageID,
            p.subjectReportID, p.mailDate, p.clientAddress, p.userAgent, receivedAt,
            report.notes.isEmpty ? nil : report.notes.joined(separator: "\n"),
        ])
        let reportRowID = db.lastInsertedRowID
        try db.cachedStatement(sql: "INSERT INTO report_raw (report, raw_gzip) VALUES (?, ?)")
            .execute(arguments: [reportRowID, Data(incoming.rawGzip)])
        let counted = CountingRule.countedPolicies(report.policies)
        let insertPolicy = try db.cachedStatement(
            sql: """
                INSERT INTO policy (report, position, policy_type, policy_domain, inferred_domain, policy_strings, mx_hosts,
                    sts_mode, sts_max_age, sts_mx, sts_problems, successful, failed, counted)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        let insertFailure = try db.cachedStatement(
            sql: """
                INSERT INTO failure (policy, report, result_type, result_type_raw, category, sending_mta_ip,
                    receiving_mx_hostname, receiving_mx_helo, receiving_ip, failed_sessions, additional_information,
                    failure_reason_code)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        // `policy_strings` as stored, which the evidence rollups key by too.
        let policyTexts = report.policies.map { result in
            result.policy.strings.isEmpty
                ? nil : String(decoding: JSONValue.array(result.policy.strings.map(JSONValue.string)).canonicalBytes(), as: UTF8.self)
        }
        for (position, result) in report.policies.enumerated() {
            let policy = result.policy
            let sts = policy.sts
            try insertPolicy.execute(arguments: [
                reportRowID, position, policy.type.name, policy.domain, policy.inferredDomain, policyTexts[position],
                policy.mxHosts.isEmpty ? nil : policy.mxHosts.joined(separator: "\n"),
                sts?.modeText, sts?.maxAge.map { Int64(clamping: $0) },
                sts.map { $0.mx.joined(separator: "\n") }, sts.flatMap { $0.problems.isEmpty ? nil : $0.problems.joined(separator: "\n") },
                result.summary.successful, result.summary.failed, counted.contains(position),
            ])
            let policyRowID = db.lastInsertedRowID
            for detail in result.failureDetails {
                try insertFailure.execute(arguments: [
                    policyRowID, reportRowID, detail.resultType.name, detail.resultTypeRaw, detail.resultType.category.rawValue,
                    detail.sendingMTAIP, detail.receivingMXHostname, detail.receivingMXHelo, detail.receivingIP,
                    detail.failedSessionCount, detail.additionalInformation, detail.failureReasonCode,
                ])
            }
        }
        var sessions: [(domain: String?, successful: Int64, failed: Int64)] = []
        var failures: [(domain: String?, resultType: String, mxHost: String?, failed: Int64)] = []
        for (position, result) in report.policies.enumerated() {
            if counted.contains(position) {
                sessions.append((result.policy.domain, result.summary.successful, result.summary.failed))
            }
            for detail in result.failureDetails {
                failures.append((result.policy.domain, detail.resultType.name, detail.receivingMXHostname, detail.failedSessionCount))
            }
        }
        let evidence = Rollups.evidence(of: report.policies, policyTexts: policyTexts)
        try Rollups.add(
            organization: report.organizationName, start: Int64(report.dateRange.start.timeIntervalSince1970.rounded(.down)),
            end: Int64(report.dateRange.end.timeIntervalSince1970.rounded(.down)), sessions: sessions, failures: failures,
            evidence: evidence.failures, stsPolicies: evidence.stsPolicies, db: db)
        return .stored(id: reportRowID, conflict: clash != nil)
    }

    private static func insert(_ rejection: IncomingRejection, receivedAt: Int64, db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO rejection (input_hash, channel, source_name, reason, kept_at, received_at, raw)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(input_hash) DO UPDATE SET kept_at = excluded.kept_at, source_name = excluded.source_name
                """
        ).execute(arguments: [
            rejection.inputHash.map { Data($0) }, rejection.provenance.channel.rawValue, rejection.provenance.name,
            rejection.reason, rejection.keptAt, receivedAt, rejection.raw.map { Data($0) },
        ])
    }
}
