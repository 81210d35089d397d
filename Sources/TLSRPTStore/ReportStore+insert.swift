package import Foundation
import GRDB
package import TLSRPTCore

/// A report on its way into the store.
///
/// A class, because it travels from the decoding core through a few arrays to the commit: copying a struct
/// of a dozen references retained each of them every time (about 2% of an ingest's CPU).
package final class IncomingReport: Sendable {
    package let decoded: ReportDecoder.Decoded
    /// The raw JSON, gzip-compressed (the input itself when it came as gzip).
    package let rawGzip: [UInt8]
    package let provenance: Provenance

    /// SHA-256 of the canonical JSON: equal for the same report however it was formatted. Computed here,
    /// on whichever core decoded the report, rather than under the write lock.
    package let contentHash: [UInt8]
    /// The size of the canonical JSON, a measure of what the decoded report holds in memory.
    package let canonicalSize: Int
    /// Each policy's `policy-string` lines as the canonical JSON array stored in `policy.policy_strings`.
    /// Serialised here, on the decoding core: in the commit it took a tenth of the single writer's time.
    package let policyStringsJSON: [String?]
    /// When the report first reached a database, for one copied from another (`tlsrpt copy`); nil means
    /// "now", the commit's time.
    package let receivedAt: Date?

    package init(decoded: ReportDecoder.Decoded, rawGzip: [UInt8], provenance: Provenance, receivedAt: Date? = nil) {
        self.receivedAt = receivedAt
        // The hash is all the store needs of the canonical form; a batch keeps hundreds of these waiting
        // for their commit, so the copy (as large as the report) is not kept with them.
        var kept = decoded
        kept.canonicalJSON = []
        self.decoded = kept
        self.rawGzip = rawGzip
        self.provenance = provenance
        self.contentHash = ContentHash.sha256(decoded.canonicalJSON)
        self.canonicalSize = decoded.canonicalJSON.count
        self.policyStringsJSON = decoded.report.policies.map { result in
            let strings = result.policy.strings
            return strings.isEmpty ? nil : String(decoding: JSONValue.array(strings.map(JSONValue.string)).canonicalBytes(), as: UTF8.self)
        }
    }
}

/// An input that yielded no report, and why.
package struct IncomingRejection: Sendable {
    package var provenance: Provenance
    package var reason: String
    /// Where a person finds the input now (its path, or the maildir's `.Rejected` folder).
    package var keptAt: String?
    /// The bytes themselves, for inputs that have no other home (standard input, HTTPS).
    package var raw: [UInt8]?
    package var inputHash: [UInt8]?

    package init(provenance: Provenance, reason: String, keptAt: String?, raw: [UInt8]? = nil, inputHash: [UInt8]? = nil) {
        self.provenance = provenance
        self.reason = reason
        self.keptAt = keptAt
        self.raw = raw
        self.inputHash = inputHash
    }
}

/// What became of a whole input (a file, a message): it yielded at least one report, or none.
package enum InputOutcome: String, Sendable {
    case stored, rejected
}

/// What happened to one incoming report.
package enum InsertOutcome: Sendable, Equatable {
    /// Stored as a new report. `conflict` is true when another report with the same organisation and
    /// report-id but different content was already stored: both are kept and flagged.
    case stored(id: Int64, conflict: Bool)
    /// The same report (same content) was already stored under `id`.
    case duplicate(id: Int64)
    /// The database refused the report (a constraint it breaks, a value too large), so it was recorded as
    /// a rejection instead, with this one-line reason; the rest of the batch was stored.
    case rejected(reason: String)
}

/// Where a report in a batch came from, so that if the database refuses it the store can record its input
/// as rejected in the same transaction (see ``ReportStore/commit(_:now:)``).
package struct ReportOrigin: Sendable {
    /// The hash of the input that yielded the report, as in ``StoreBatch/seenInputs``.
    package var inputHash: [UInt8]?
    /// Where a person finds the input if nothing of it is stored (a maildir message's `.Rejected` path).
    package var keptAtIfRejected: String?
    /// Where a person finds it if another of its reports is stored.
    package var keptAtIfStored: String?
    /// The input's bytes, for inputs that have no other home (standard input).
    package var raw: [UInt8]?

    package init(inputHash: [UInt8]? = nil, keptAtIfRejected: String? = nil, keptAtIfStored: String? = nil, raw: [UInt8]? = nil) {
        self.inputHash = inputHash
        self.keptAtIfRejected = keptAtIfRejected
        self.keptAtIfStored = keptAtIfStored
        self.raw = raw
    }
}

/// Everything one transaction writes: the reports and rejections of a batch of inputs, and the inputs'
/// hashes, so that an input counts as seen exactly when what it yielded is committed.
package struct StoreBatch: Sendable {
    package var reports: [IncomingReport] = []
    package var rejections: [IncomingRejection] = []
    /// Hashes of whole inputs (file bytes) whose every report or rejection is in this batch.
    package var seenInputs: [(hash: [UInt8], outcome: InputOutcome)] = []
    /// `origins[i]` says where `reports[i]` came from; a report without one is recorded by its provenance.
    package var origins: [ReportOrigin] = []

    package init() {}

    package func origin(of report: Int) -> ReportOrigin {
        report < origins.count ? origins[report] : ReportOrigin()
    }

    package var isEmpty: Bool { reports.isEmpty && rejections.isEmpty && seenInputs.isEmpty }
}

extension ReportStore {
    /// Writes a batch in one transaction and says, per report, whether it was new, a duplicate, or refused.
    ///
    /// A report the database refuses (see ``isReportProblem(_:)``) must not cost the rest of the batch its
    /// place: the batch is then inserted again report by report, each in its own savepoint, and the refused
    /// ones are recorded as rejections of their inputs (``StoreBatch/origins``), whose `seen_input` outcome
    /// becomes "rejected" when nothing else of them was stored. The fast path pays one savepoint per batch.
    /// Errors of the database itself (locked, full, read-only) still fail the whole batch.
    @discardableResult
    package func commit(_ batch: StoreBatch, now: Date = Date()) throws(StoreError) -> [InsertOutcome] {
        let receivedAt = Int64(now.timeIntervalSince1970)
        return try write { db in
            var outcomes: [InsertOutcome] = []
            outcomes.reserveCapacity(batch.reports.count)
            var cache = InsertCache()
            do {
                try db.inSavepoint {
                    for incoming in batch.reports {
                        outcomes.append(try Self.insert(incoming, receivedAt: receivedAt, cache: &cache, db: db))
                    }
                    return .commit
                }
            } catch let error as DatabaseError where Self.isReportProblem(error) {
                cache.forgetIDs()
                outcomes = try Self.insertOneByOne(batch.reports, receivedAt: receivedAt, cache: &cache, db: db)
            }
            let rejectedInputs = try Self.recordRefused(batch, outcomes: outcomes, receivedAt: receivedAt, db: db)
            for rejection in batch.rejections {
                try Self.insert(rejection, receivedAt: receivedAt, db: db)
            }
            let seen = try db.cachedStatement(sql: "INSERT OR IGNORE INTO seen_input (hash, outcome) VALUES (?, ?)")
            for input in batch.seenInputs {
                var row = DirectBinding(seen, db)
                row.bind(blob: input.hash)
                row.bind(rejectedInputs.contains(input.hash) ? InputOutcome.rejected.rawValue : input.outcome.rawValue)
                try row.execute()
            }
            return outcomes
        }
    }

    /// Which of these input hashes were seen before, and with what outcome.
    package func seenInputs(_ hashes: [[UInt8]]) throws(StoreError) -> [[UInt8]: InputOutcome] {
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

    static func insert(
        _ incoming: IncomingReport, receivedAt: Int64, cache: inout InsertCache, db: Database
    ) throws -> InsertOutcome {
        let report = incoming.decoded.report
        let hash = incoming.contentHash
        let start = Int64(report.dateRange.start.timeIntervalSince1970.rounded(.down))
        let end = Int64(report.dateRange.end.timeIntervalSince1970.rounded(.down))
        // A report's identity is (organisation, report-id, date range): a report-id reused for another date
        // range is another report. One look-up on the identity answers both questions: is this content
        // already stored under this identity (a duplicate), and are other versions stored under it (a
        // conflict)? Of the versions, the one that counts is noted with its weight.
        var clash = false
        var duplicate: Int64? = nil
        var countingVersion: (id: Int64, hash: [UInt8])? = nil
        var lookup = DirectBinding(
            try cache.statement(
                "SELECT id, content_hash, counts FROM report WHERE organization = ? AND report_id = ? AND start_time = ? AND end_time = ?",
                db), db)
        lookup.bind(report.organizationName)
        lookup.bind(report.reportID)
        lookup.bind(start)
        lookup.bind(end)
        try lookup.forEachRow { row in
            let stored = row.blob(1)
            if stored == hash {
                duplicate = row.int64(0)
            } else {
                clash = true
                if row.int64(2) != 0 { countingVersion = (row.int64(0), stored) }
            }
        }
        if let duplicate { return .duplicate(id: duplicate) }
        let domainCounts = CountingRule.count(report.policies)
        // Only one version of a report counts in summaries (docs/ARCHITECTURE.md): the new one when it outweighs the
        // one that counted so far, whatever the order they came in.
        var counts = true
        if clash {
            var flag = DirectBinding(
                try cache.statement(
                    "UPDATE report SET conflict = 1 WHERE organization = ? AND report_id = ? AND start_time = ? AND end_time = ?", db), db)
            flag.bind(report.organizationName)
            flag.bind(report.reportID)
            flag.bind(start)
            flag.bind(end)
            try flag.execute()
            if let incumbent = countingVersion {
                let weight = try Self.weight(ofReport: incumbent.id, cache: &cache, db: db)
                counts = CountingRule.prefers(
                    CountingRule.Weight(domainCounts), hash: hash, over: weight, hash: incumbent.hash)
                if counts {
                    var demote = DirectBinding(try cache.statement("UPDATE report SET counts = 0 WHERE id = ?", db), db)
                    demote.bind(incumbent.id)
                    try demote.execute()
                }
            }
        }
        let p = incoming.provenance
        var insertReport = DirectBinding(
            try cache.statement(
                """
                INSERT INTO report (organization, report_id, contact_info, start_time, end_time, content_hash, conflict,
                    channel, source_name, submitter, report_domain, message_id, subject_report_id, mail_date,
                    client_address, user_agent, received_at, notes, counts)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, db), db)
        insertReport.bind(report.organizationName)
        insertReport.bind(report.reportID)
        insertReport.bind(report.contactInfo)
        insertReport.bind(start)
        insertReport.bind(end)
        insertReport.bind(blob: hash)
        insertReport.bind(clash)
        for text in [p.channel.rawValue, p.name, p.submitter, p.reportDomain, p.messageID, p.subjectReportID, p.mailDate] {
            insertReport.bind(text)
        }
        insertReport.bind(p.clientAddress)
        insertReport.bind(p.userAgent)
        insertReport.bind(incoming.receivedAt.map { Int64($0.timeIntervalSince1970.rounded(.down)) } ?? receivedAt)
        insertReport.bind(report.notes.isEmpty ? nil : report.notes.joined(separator: "\n"))
        insertReport.bind(counts)
        try insertReport.execute()
        let reportRowID = db.lastInsertedRowID
        var insertRaw = DirectBinding(try cache.statement("INSERT INTO report_raw (report, raw_gzip) VALUES (?, ?)", db), db)
        insertRaw.bind(reportRowID)
        insertRaw.bind(blob: incoming.rawGzip)
        try insertRaw.execute()
        let counted = Set(domainCounts.flatMap(\.positions))
        let insertPolicy = try cache.statement(
            """
            INSERT INTO policy (report, position, policy_type, policy_domain, inferred_domain, policy_strings, mx_hosts,
                sts_mode, sts_max_age, sts_mx, sts_problems, successful, failed, counted)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, db)
        let insertFailure = try cache.statement(
            """
            INSERT INTO failure (policy, report, result_type, result_type_raw, category, sending_mta_ip,
                receiving_mx_hostname, receiving_mx_helo, receiving_ip, failed_sessions, additional_information,
                failure_reason_code)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, db)
        for (position, result) in report.policies.enumerated() {
            let policy = result.policy
            let sts = policy.sts
            var row = DirectBinding(insertPolicy, db)
            row.bind(reportRowID)
            row.bind(position)
            row.bind(policy.type.name)
            row.bind(policy.domain)
            row.bind(policy.inferredDomain)
            row.bind(incoming.policyStringsJSON[position])
            row.bind(policy.mxHosts.isEmpty ? nil : policy.mxHosts.joined(separator: "\n"))
            row.bind(sts?.modeText)
            row.bind(sts?.maxAge.map { Int64(clamping: $0) })
            row.bind(sts.map { $0.mx.joined(separator: "\n") })
            row.bind(sts.flatMap { $0.problems.isEmpty ? nil : $0.problems.joined(separator: "\n") })
            row.bind(result.summary.successful)
            row.bind(result.summary.failed)
            row.bind(counted.contains(position))
            try row.execute()
            let policyRowID = db.lastInsertedRowID
            for detail in result.failureDetails {
                var row = DirectBinding(insertFailure, db)
                row.bind(policyRowID)
                row.bind(reportRowID)
                row.bind(detail.resultType.name)
                row.bind(detail.resultTypeRaw)
                row.bind(detail.resultType.category.rawValue)
                row.bind(detail.sendingMTAIP)
                row.bind(detail.receivingMXHostname)
                row.bind(detail.receivingMXHelo)
                row.bind(detail.receivingIP)
                row.bind(detail.failedSessionCount)
                row.bind(detail.additionalInformation)
                row.bind(detail.failureReasonCode)
                try row.execute()
            }
        }
        if clash && countingVersion != nil {
            // Which version counts may have changed: the day's rollups of this sender are worked out again
            // from the rows (conflicts are rare; a sender has a few reports a day).
            if counts { try Rollups.rebuild(db, day: UTCDay.of(start), organization: report.organizationName) }
            return .stored(id: reportRowID, conflict: true)
        }
        // One session row per domain: a domain's counted entries (all of one type) add up.
        let sessions = domainCounts.map { (domain: $0.domain, successful: $0.successful, failed: $0.failed) }
        var failures: [(domain: String?, resultType: String, mxHost: String?, failed: Int64)] = []
        for result in report.policies {
            for detail in result.failureDetails {
                failures.append((result.policy.domain, detail.resultType.name, detail.receivingMXHostname, detail.failedSessionCount))
            }
        }
        let evidence = Rollups.evidence(of: report.policies, policyTexts: incoming.policyStringsJSON, counted: counted)
        try Rollups.add(
            organization: report.organizationName, start: start, end: end, sessions: sessions, failures: failures,
            evidence: evidence.failures, stsPolicies: evidence.stsPolicies, cache: &cache, db: db)
        return .stored(id: reportRowID, conflict: clash)
    }

    /// A stored report's counted sessions and failures (see ``CountingRule/Weight``).
    static func weight(ofReport id: Int64, cache: inout InsertCache, db: Database) throws -> CountingRule.Weight {
        var weight = CountingRule.Weight(sessions: 0, failed: 0)
        var rows = DirectBinding(try cache.statement("SELECT successful, failed FROM policy WHERE report = ? AND counted = 1", db), db)
        rows.bind(id)
        try rows.forEachRow { row in
            weight.sessions.addCount(CountSum.add(row.int64(0), row.int64(1)))
            weight.failed.addCount(row.int64(1))
        }
        return weight
    }

    static func insert(_ rejection: IncomingRejection, receivedAt: Int64, db: Database) throws {
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
