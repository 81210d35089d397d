package import Foundation
import PostgresNIO
import TLSRPTCore
package import TLSRPTStore

extension PostgresReportStore {
    /// Writes a batch in one transaction, with the SQLite store's rules (``ReportStore/commit(_:now:)``), in a
    /// fixed number of round trips whatever its size: lock the batch's identities, look their stored versions
    /// up, take ids, then one multi-row INSERT per table.
    ///
    /// Locks are taken in one order (identities sorted, then rejections, then seen inputs sorted), so that
    /// concurrent batches do not deadlock; should the server still report a deadlock or a serialisation
    /// failure, the batch is run again from the start (it wrote nothing).
    package func commit(_ batch: StoreBatch, now: Date) throws(StoreError) -> [InsertOutcome] {
        let receivedAt = Int64(now.timeIntervalSince1970)
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try write { session in try Self.commit(batch, receivedAt: receivedAt, session: session) }
            } catch where error.code == .contention && attempt < 4 {
                usleep(UInt32.random(in: 5_000...40_000) * UInt32(attempt))
            }
        }
    }

    package func seenInputs(_ hashes: [[UInt8]]) throws(StoreError) -> [[UInt8]: InputOutcome] {
        guard !hashes.isEmpty else { return [:] }
        return try read { session in
            var seen: [[UInt8]: InputOutcome] = [:]
            for row in try session.rows("SELECT hash, outcome FROM seen_input WHERE hash = ANY(?::bytea[])", [.byteArrays(hashes)]) {
                let columns = PostgresColumns(row)
                if let outcome = InputOutcome(rawValue: try columns.text(1)) { seen[try columns.bytes(0)] = outcome }
            }
            return seen
        }
    }

    /// A report's identity as the store compares it (organisation, report-id, date range), in the text
    /// PostgreSQL keeps (see ``PostgresSession/storable(_:)``).
    struct Identity: Hashable, Comparable {
        var organization: String
        var reportID: String
        var start: Int64
        var end: Int64

        /// SHA-256 of the identity: the indexed `report.identity` column.
        var digest: [UInt8] {
            ContentHash.sha256(Array("\(organization)\u{1}\(reportID)\u{1}\(start)\u{1}\(end)".utf8))
        }

        /// The advisory-lock key of a digest: its first 8 bytes. Two identities sharing a key only wait for
        /// each other.
        static func lockKey(_ digest: [UInt8]) -> Int64 {
            digest.prefix(8).reduce(Int64(0)) { ($0 << 8) | Int64($1) }
        }

        static func < (a: Identity, b: Identity) -> Bool {
            (a.organization, a.reportID, a.start, a.end) < (b.organization, b.reportID, b.start, b.end)
        }
    }

    /// One stored (or about to be stored) version of an identity.
    struct Version {
        var id: Int64
        var hash: [UInt8]
        var counts: Bool
        /// Known for versions of this batch; loaded for stored ones that count, when a clash needs it.
        var weight: CountingRule.Weight?
        /// Where the version is in this batch's pending rows, nil for one already stored.
        var pending: Int?
    }

    static func commit(_ batch: StoreBatch, receivedAt: Int64, session: PostgresSession) throws -> [InsertOutcome] {
        do {
            var outcomes: [InsertOutcome] = []
            if !batch.reports.isEmpty {
                try session.execute("SAVEPOINT batch")
                do {
                    outcomes = try insertReports(batch.reports, receivedAt: receivedAt, session: session)
                    try session.execute("RELEASE SAVEPOINT batch")
                } catch where isReportProblem(error) {
                    // One report the database refuses must not cost the others their place: each again in a
                    // savepoint of its own, the refused ones recorded as rejections of their inputs.
                    try session.execute("ROLLBACK TO SAVEPOINT batch")
                    outcomes = try insertOneByOne(batch.reports, receivedAt: receivedAt, session: session)
                }
            }
            let refusals = batch.refusals(outcomes)
            // In the batch's order, so that `tlsrpt rejects` lists them as the SQLite store does. Two batches that
            // reject the same two inputs in opposite orders could deadlock here; the server breaks that, and the
            // loser runs again.
            for rejection in refusals.rejections + batch.rejections {
                try session.execute(
                    """
                    INSERT INTO rejection (input_hash, channel, source_name, reason, kept_at, received_at, raw)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (input_hash) DO UPDATE SET kept_at = excluded.kept_at, source_name = excluded.source_name
                    """,
                    [
                        PostgresValue(rejection.inputHash), .text(rejection.provenance.channel.rawValue), .text(rejection.provenance.name),
                        .text(rejection.reason), PostgresValue(rejection.keptAt), .integer(receivedAt), PostgresValue(rejection.raw),
                    ])
            }
            if !batch.seenInputs.isEmpty {
                let seen = batch.seenInputs.sorted { $0.hash.lexicographicallyPrecedes($1.hash) }
                try session.execute(
                    """
                    INSERT INTO seen_input (hash, outcome) SELECT h, o FROM unnest(?::bytea[], ?::text[]) AS s(h, o)
                    ON CONFLICT (hash) DO NOTHING
                    """,
                    [
                        .byteArrays(seen.map(\.hash)),
                        .texts(seen.map { refusals.rejectedInputs.contains($0.hash) ? InputOutcome.rejected.rawValue : $0.outcome.rawValue }),
                    ])
            }
            return outcomes
        } catch let error as PSQLError where ["40P01", "40001"].contains(PostgresSession.sqlState(error) ?? "") {
            throw StoreError(.contention, "cannot store the batch now: \(PostgresReportStore.describe(error)); try again")
        }
    }

    /// Errors that belong to one report's data rather than to the database: a value out of range or too long
    /// (SQLSTATE class 22), a constraint it breaks (23), a limit it passes (54). Anything else fails the batch.
    static func isReportProblem(_ error: any Error) -> Bool {
        guard let state = PostgresSession.sqlState(error) else { return false }
        return ["22", "23", "54"].contains(String(state.prefix(2)))
    }

    /// The batch's reports one by one, each in a savepoint; those the database refuses become `.rejected`.
    static func insertOneByOne(_ reports: [IncomingReport], receivedAt: Int64, session: PostgresSession) throws -> [InsertOutcome] {
        var outcomes: [InsertOutcome] = []
        for incoming in reports {
            try session.execute("SAVEPOINT report")
            do {
                outcomes += try insertReports([incoming], receivedAt: receivedAt, session: session)
                try session.execute("RELEASE SAVEPOINT report")
            } catch where isReportProblem(error) {
                try session.execute("ROLLBACK TO SAVEPOINT report")
                outcomes.append(StoreBatch.refusal(of: incoming.decoded.report, PostgresReportStore.describe(error)))
            }
        }
        return outcomes
    }

    private static func insertReports(_ reports: [IncomingReport], receivedAt: Int64, session: PostgresSession) throws -> [InsertOutcome] {
        let identities = reports.map { incoming in
            let report = incoming.decoded.report
            return Identity(
                organization: PostgresSession.storable(report.organizationName), reportID: PostgresSession.storable(report.reportID),
                start: Int64(report.dateRange.start.timeIntervalSince1970.rounded(.down)),
                end: Int64(report.dateRange.end.timeIntervalSince1970.rounded(.down)))
        }
        let distinct = Array(Set(identities)).sorted()
        let digests = Dictionary(uniqueKeysWithValues: distinct.map { ($0, $0.digest) })
        // Other collectors writing one of these identities now wait here until this transaction ends, and then
        // see what it stored; so do we.
        try session.execute(
            "SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT unnest(?::bigint[]) AS k ORDER BY 1) AS keys",
            [.integers(distinct.map { Identity.lockKey(digests[$0]!) })])

        // One index look-up per identity (`OFFSET 0` keeps the planner from turning it into a join). While a
        // table grows faster than its statistics (a first large ingest, before autoanalyze catches up), the
        // planner misjudges how many rows match and prefers reading the whole table: per batch as a join, per
        // identity as a look-up. With sequential scans off for this transaction (its other statements find
        // rows by id) each identity is one probe of the index, whatever the statistics say. (Rows found by
        // digest are then sorted by their own columns, so a collision could not mix two identities.)
        try session.execute("SELECT set_config('enable_seqscan', 'off', true)")
        var versions: [Identity: [Version]] = [:]
        for row in try session.rows(
            """
            SELECT r.id, r.organization, r.report_id, r.start_time, r.end_time, r.content_hash, r.counts
            FROM unnest(?::bytea[]) AS k(identity)
            CROSS JOIN LATERAL (SELECT * FROM report r WHERE r.identity = k.identity OFFSET 0) AS r
            ORDER BY r.id
            """,
            [.byteArrays(distinct.map { digests[$0]! })])
        {
            let c = PostgresColumns(row)
            let identity = Identity(organization: try c.text(1), reportID: try c.text(2), start: try c.int64(3), end: try c.int64(4))
            versions[identity, default: []].append(Version(id: try c.int64(0), hash: try c.bytes(5), counts: try c.int64(6) != 0))
        }
        // The weights of stored versions that count, for identities this batch brings another version of.
        let contested = versions.flatMap { identity, stored in
            stored.filter(\.counts).filter { version in
                reports.indices.contains { identities[$0] == identity && reports[$0].contentHash != version.hash }
            }.map(\.id)
        }
        var storedWeights: [Int64: CountingRule.Weight] = [:]
        if !contested.isEmpty {
            for row in try session.rows(
                """
                SELECT report, COALESCE(SUM(successful + failed), 0)::bigint, COALESCE(SUM(failed), 0)::bigint FROM policy
                WHERE report = ANY(?::bigint[]) AND counted = 1 GROUP BY report
                """, [.integers(contested)])
            {
                let c = PostgresColumns(row)
                storedWeights[try c.int64(0)] = CountingRule.Weight(sessions: try c.int64(1), failed: try c.int64(2))
            }
        }

        let policyCount = reports.reduce(0) { $0 + $1.decoded.report.policies.count }
        let reportIDs = try takeIDs("report_id_seq", count: reports.count, session: session)
        let policyIDs = try takeIDs("policy_id_seq", count: policyCount, session: session)

        var outcomes: [InsertOutcome] = []
        outcomes.reserveCapacity(reports.count)
        var reportRows: [[PostgresValue]] = []
        var rawRows: [[PostgresValue]] = []
        var policyRows: [[PostgresValue]] = []
        var failureRows: [[PostgresValue]] = []
        var flagConflict: Set<Int64> = []
        var demote: Set<Int64> = []
        // Versions of this batch that a later one outweighed: their policies' and failures' copies of `counts` too.
        var demotedInBatch: Set<Int64> = []
        var nextPolicy = 0
        for (index, incoming) in reports.enumerated() {
            let identity = identities[index]
            let hash = incoming.contentHash
            let known = versions[identity] ?? []
            if let duplicate = known.first(where: { $0.hash == hash }) {
                outcomes.append(.duplicate(id: duplicate.id))
                continue
            }
            let report = incoming.decoded.report
            let domainCounts = CountingRule.count(report.policies)
            let weight = CountingRule.Weight(domainCounts)
            let clash = !known.isEmpty
            var counts = true
            if clash {
                for version in known {
                    if let row = version.pending { reportRows[row][6] = .integer(1) } else { flagConflict.insert(version.id) }
                }
                if let incumbent = known.firstIndex(where: \.counts) {
                    let version = known[incumbent]
                    let incumbentWeight = version.weight ?? storedWeights[version.id] ?? CountingRule.Weight(sessions: 0, failed: 0)
                    counts = CountingRule.prefers(weight, hash: hash, over: incumbentWeight, hash: version.hash)
                    if counts {
                        versions[identity]![incumbent].counts = false
                        if let row = version.pending { reportRows[row][19] = .integer(0) } else { demote.insert(version.id) }
                        demotedInBatch.insert(version.id)
                    }
                }
            }
            let id = reportIDs[index]
            let p = incoming.provenance
            versions[identity, default: []].append(Version(id: id, hash: hash, counts: counts, weight: weight, pending: reportRows.count))
            reportRows.append([
                .integer(id), .text(report.organizationName), .text(report.reportID), PostgresValue(report.contactInfo), .integer(identity.start),
                .integer(identity.end), .integer(clash ? 1 : 0), .bytes(hash), .text(p.channel.rawValue), .text(p.name), PostgresValue(p.submitter),
                PostgresValue(p.reportDomain), PostgresValue(p.messageID), PostgresValue(p.subjectReportID), PostgresValue(p.mailDate),
                PostgresValue(p.clientAddress), PostgresValue(p.userAgent),
                .integer(incoming.receivedAt.map { Int64($0.timeIntervalSince1970.rounded(.down)) } ?? receivedAt),
                PostgresValue(report.notes.isEmpty ? nil : report.notes.joined(separator: "\n")), .integer(counts ? 1 : 0),
                .bytes(digests[identity]!),
            ])
            rawRows.append([.integer(id), .bytes(incoming.rawGzip)])
            let counted = Set(domainCounts.flatMap(\.positions))
            for (position, result) in report.policies.enumerated() {
                let policy = result.policy
                let sts = policy.sts
                let policyID = policyIDs[nextPolicy]
                nextPolicy += 1
                policyRows.append([
                    .integer(policyID), .integer(id), .integer(Int64(position)), .text(policy.type.name), PostgresValue(policy.domain),
                    PostgresValue(policy.inferredDomain), PostgresValue(incoming.policyStringsJSON[position]),
                    PostgresValue(policy.mxHosts.isEmpty ? nil : policy.mxHosts.joined(separator: "\n")), PostgresValue(sts?.modeText),
                    PostgresValue(sts?.maxAge.map { Int64(clamping: $0) }), PostgresValue(sts.map { $0.mx.joined(separator: "\n") }),
                    PostgresValue(sts.flatMap { $0.problems.isEmpty ? nil : $0.problems.joined(separator: "\n") }),
                    .integer(result.summary.successful), .integer(result.summary.failed), .integer(counted.contains(position) ? 1 : 0),
                    .text(report.organizationName), .integer(identity.start), .integer(identity.end), .integer(counts ? 1 : 0),
                ])
                for detail in result.failureDetails {
                    failureRows.append([
                        .integer(policyID), .integer(id), .text(detail.resultType.name), .text(detail.resultTypeRaw),
                        .text(detail.resultType.category.rawValue), PostgresValue(detail.sendingMTAIP), PostgresValue(detail.receivingMXHostname),
                        PostgresValue(detail.receivingMXHelo), PostgresValue(detail.receivingIP), .integer(detail.failedSessionCount),
                        PostgresValue(detail.additionalInformation), PostgresValue(detail.failureReasonCode),
                        PostgresValue(policy.domain), .text(policy.type.name), PostgresValue(incoming.policyStringsJSON[position]),
                        .integer(counted.contains(position) ? 1 : 0), .text(report.organizationName), .integer(identity.start),
                        .integer(identity.end), .integer(counts ? 1 : 0),
                    ])
                }
            }
            outcomes.append(.stored(id: id, conflict: clash))
        }
        if !flagConflict.isEmpty {
            try session.execute("UPDATE report SET conflict = 1 WHERE id = ANY(?::bigint[])", [.integers(flagConflict.sorted())])
        }
        if !demote.isEmpty {
            try session.execute("UPDATE report SET counts = 0 WHERE id = ANY(?::bigint[])", [.integers(demote.sorted())])
            try session.execute("UPDATE policy SET report_counts = 0 WHERE report = ANY(?::bigint[])", [.integers(demote.sorted())])
            try session.execute("UPDATE failure SET report_counts = 0 WHERE report = ANY(?::bigint[])", [.integers(demote.sorted())])
        }
        if !demotedInBatch.isEmpty {
            // Pending rows: the report column is index 1 of a policy row and index 1 of a failure row, `report_counts` the last.
            for row in policyRows.indices where demotedInBatch.contains(Self.integer(policyRows[row][1])) {
                policyRows[row][policyRows[row].count - 1] = .integer(0)
            }
            for row in failureRows.indices where demotedInBatch.contains(Self.integer(failureRows[row][1])) {
                failureRows[row][failureRows[row].count - 1] = .integer(0)
            }
        }
        try insertRows(
            into: "report",
            columns: """
                id, organization, report_id, contact_info, start_time, end_time, conflict, content_hash, channel, source_name, submitter,
                report_domain, message_id, subject_report_id, mail_date, client_address, user_agent, received_at, notes, counts, identity
                """, reportRows, session: session)
        try insertRows(into: "report_raw", columns: "report, raw_gzip", rawRows, session: session)
        try insertRows(
            into: "policy",
            columns: """
                id, report, position, policy_type, policy_domain, inferred_domain, policy_strings, mx_hosts, sts_mode, sts_max_age,
                sts_mx, sts_problems, successful, failed, counted, report_organization, report_start, report_end, report_counts
                """, policyRows, session: session)
        try insertRows(
            into: "failure",
            columns: """
                policy, report, result_type, result_type_raw, category, sending_mta_ip, receiving_mx_hostname, receiving_mx_helo,
                receiving_ip, failed_sessions, additional_information, failure_reason_code, policy_domain, policy_type, policy_strings,
                policy_counted, report_organization, report_start, report_end, report_counts
                """, failureRows, session: session)
        return outcomes
    }

    static func integer(_ value: PostgresValue) -> Int64 {
        if case .integer(let number) = value { number } else { -1 }
    }

    /// `count` new ids of a sequence, in one round trip, ascending.
    static func takeIDs(_ sequence: String, count: Int, session: PostgresSession) throws -> [Int64] {
        guard count > 0 else { return [] }
        return try session.rows("SELECT nextval('\(sequence)') FROM generate_series(1, ?::bigint)", [.integer(Int64(count))])
            .map { try PostgresColumns($0).int64(0) }.sorted()
    }

    /// One multi-row INSERT per chunk of rows (a statement takes at most 65,535 parameters; chunks stay well
    /// below, so that the server plans a moderate statement).
    static func insertRows(into table: String, columns: String, _ rows: [[PostgresValue]], session: PostgresSession) throws {
        guard let width = rows.first?.count else { return }
        let perStatement = max(1, 16_000 / width)
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(rows.count, start + perStatement)]
            let tuple = "(" + Array(repeating: "?", count: width).joined(separator: ", ") + ")"
            let sql = "INSERT INTO \(table) (\(columns)) VALUES " + Array(repeating: tuple, count: chunk.count).joined(separator: ", ")
            try session.execute(sql, chunk.flatMap { $0 })
            start += perStatement
        }
    }
}
