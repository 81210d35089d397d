package import Foundation
import GRDB
import TLSRPTCore

/// What the diagnosis reads from the store, as plain rows: failure details grouped by everything a rule
/// can tell apart, the MTA-STS policies senders quoted, and the counted sessions per sender and domain.
///
/// Everything is aggregated in SQL, so a year of reports still arrives as a few hundred rows, never as
/// individual reports. The analysis side turns these into its read model (`DiagnosisEvidence`): it parses
/// the policy texts, names the result types, and puts the groups in an order of its own, so no rule
/// depends on the order rows come from SQLite in.
package struct EvidenceRows: Sendable, Equatable {
    package var failures: [Failure] = []
    package var stsPolicies: [QuotedPolicy] = []
    package var sessions: [Sessions] = []

    package init(failures: [Failure] = [], stsPolicies: [QuotedPolicy] = [], sessions: [Sessions] = []) {
        self.failures = failures
        self.stsPolicies = stsPolicies
        self.sessions = sessions
    }

    /// Failure details that share (sender, policy domain, policy type and text, result type, MX host,
    /// reason code, additional information), added up.
    package struct Failure: Sendable, Equatable {
        package var sender: String
        package var domain: String?
        /// `sts`, `tlsa`, `no-policy-found` or an unknown type as sent.
        package var policyType: String
        /// The policy's `policy-string` lines as stored: a canonical JSON array of strings.
        package var policyText: String?
        /// The canonical result type name.
        package var resultType: String
        /// Distinct raw spellings of the result type, where one differs from the canonical name.
        package var resultTypeRaw: [String] = []
        package var mxHost: String?
        /// Distinct receiving IPs, at most ``ReportStore/maxReceivingIPsPerGroup``.
        package var receivingIPs: [String] = []
        /// At most how many more distinct receiving IPs the reports named than `receivingIPs` lists (the store
        /// keeps a bounded number per group and day; an address left out on two days counts twice).
        package var omittedReceivingIPs: Int64 = 0
        package var reasonCode: String?
        package var additionalInformation: String?
        package var failed: Int64
        /// The part of `failed` reported under policy entries that count for the sessions (`CountingRule`).
        package var countedFailed: Int64
        package var reports: Int64
        /// Unix times: the start of the earliest report in the period, the end of the latest, and the start
        /// of the earliest in the whole store.
        package var firstStart: Int64
        package var lastEnd: Int64
        package var firstStartEver: Int64
    }

    /// One MTA-STS policy text as senders quoted it for a domain.
    package struct QuotedPolicy: Sendable, Equatable {
        package var domain: String?
        /// The `policy-string` lines as stored: a canonical JSON array of strings.
        package var policyText: String
        package var reports: Int64
        /// Unix time: the start of the latest report quoting it.
        package var lastStart: Int64
    }

    /// Counted sessions of one sender for one policy domain.
    package struct Sessions: Sendable, Equatable {
        package var sender: String
        package var domain: String?
        package var successful: Int64
        package var failed: Int64
    }
}

/// Counted sessions of one policy domain on one UTC day (by report start), for the daily chart.
package struct DailyTotals: Sendable, Equatable {
    package var domain: String?
    package var day: Date
    package var successful: Int64
    package var failed: Int64

    package init(domain: String?, day: Date, successful: Int64, failed: Int64) {
        self.domain = domain
        self.day = day
        self.successful = successful
        self.failed = failed
    }
}

/// One stored failure detail with its report and policy, for `tlsrpt failures`.
package struct FailureDetailRow: Sendable, Equatable {
    package var reportStart: Date
    package var sender: String
    package var reportID: String
    package var domain: String?
    package var policyType: String
    package var resultType: String
    package var sendingMTAIP: String?
    package var mxHost: String?
    package var mxHelo: String?
    package var receivingIP: String?
    package var failed: Int64
    package var reasonCode: String?
    package var additionalInformation: String?

    package init(reportStart: Date, sender: String, reportID: String, domain: String?, policyType: String, resultType: String, sendingMTAIP: String?, mxHost: String?, mxHelo: String?, receivingIP: String?, failed: Int64, reasonCode: String?, additionalInformation: String?) {
        self.reportStart = reportStart
        self.sender = sender
        self.reportID = reportID
        self.domain = domain
        self.policyType = policyType
        self.resultType = resultType
        self.sendingMTAIP = sendingMTAIP
        self.mxHost = mxHost
        self.mxHelo = mxHelo
        self.receivingIP = receivingIP
        self.failed = failed
        self.reasonCode = reasonCode
        self.additionalInformation = additionalInformation
    }
}

/// Narrows `tlsrpt failures` beyond the period filters.
package struct FailureRowFilter: Sendable, Equatable {
    package var report: ReportFilter
    /// Canonical result type name.
    package var resultType: String?
    /// Normalised MX host name.
    package var mxHost: String?
    package var limit: Int?

    package init(report: ReportFilter, resultType: String? = nil, mxHost: String? = nil, limit: Int? = nil) {
        self.report = report
        self.resultType = resultType
        self.mxHost = mxHost
        self.limit = limit
    }
}

extension ReportStore {
    /// The most distinct receiving IPs a failure group of the evidence lists (the rest are counted in
    /// ``EvidenceRows/Failure/omittedReceivingIPs``).
    package static let maxReceivingIPsPerGroup = Rollups.maxValuesPerGroup

    /// The evidence the diagnosis rules read, for the reports `filter` selects: whole UTC days from the
    /// rollups, the edge days of the period from the raw rows, merged as one GROUP BY over the raw rows would.
    package func evidenceRows(_ filter: ReportFilter) throws(StoreError) -> EvidenceRows {
        try read { db in try Self.evidenceRows(filter, db: db) }
    }

    /// `sessions`, when given, are the counted sessions of the same filter (``SummaryCells/sessions``, which a
    /// period report has read already): the evidence takes them instead of adding them up again.
    static func evidenceRows(_ filter: ReportFilter, sessions: [SummaryCells.SessionCell]? = nil, db: Database) throws -> EvidenceRows {
        let split = DaySplit(filter)
        var tally = EvidenceTally()
        if let days = split.wholeDays {
            try addRollupEvidence(days: days, filter, withSessions: sessions == nil, to: &tally, db: db)
        }
        for edge in split.edges {
            try addRawEvidence(edge, withSessions: sessions == nil, to: &tally, db: db)
        }
        for cell in sessions ?? [] {
            tally.addSessions(sender: cell.sender, domain: cell.domain, successful: cell.successful, failed: cell.failed)
        }
        try addEarlierStarts(filter, to: &tally, db: db)
        return tally.rows()
    }

    /// The first report of each failure group in the whole store, so that a finding says since when a
    /// problem lasts, not since the period began. The rollups hold every report (whole and edge days alike).
    /// Only groups with reports in the period's days and an earlier first report matter: each is a look-up
    /// on an index (`rollup_evidence_by_group`), and without a start to the period there is nothing earlier.
    static func addEarlierStarts(_ filter: ReportFilter, to tally: inout EvidenceTally, db: Database) throws {
        guard let from = filter.from else { return }
        let start = Int64(from.timeIntervalSince1970.rounded(.up))
        // `organization` and `policy_domain` in the filter's condition are the group's own columns.
        let groupCondition = filter.rollupConditions(days: nil)
        let lastDay = filter.to.map { UTCDay.of(Int64($0.timeIntervalSince1970.rounded(.up))) } ?? Int64.max / 2
        try DirectBinding.forEachRow(
            db,
            sql: """
                SELECT g.organization, g.policy_domain, g.policy_type, t.text, g.result_type, g.mx_host, g.reason_code,
                    g.additional_information, e.first
                FROM (
                    SELECT evidence_group AS id, (SELECT MIN(first_start) FROM rollup_evidence f WHERE f.evidence_group = a.evidence_group) AS first
                    FROM (SELECT DISTINCT evidence_group FROM rollup_evidence WHERE day >= ? AND day <= ?) a
                ) e
                JOIN evidence_group g ON g.id = e.id LEFT JOIN policy_text t ON t.id = g.policy
                WHERE e.first < ? AND \(groupCondition.sql)
                """,
            arguments: [UTCDay.of(start), lastDay, start] + groupCondition.arguments
        ) { row in
            let key = EvidenceTally.GroupKey(
                sender: row.text(0), domain: row.key(1), policyType: row.text(2), policyText: row.optionalText(3),
                resultType: row.text(4), mxHost: row.key(5), reasonCode: row.key(6), additionalInformation: row.key(7))
            tally.addEarlierStart(key, firstStart: row.int64(8))
        }
    }

    static func addRollupEvidence(
        days: Range<Int64>, _ filter: ReportFilter, withSessions: Bool, to tally: inout EvidenceTally, db: Database
    ) throws {
        let condition = filter.rollupConditions(days: days)
        var policyTexts: [Int64: String] = [:]
        try DirectBinding.forEachRow(db, sql: "SELECT id, text FROM policy_text", arguments: []) { row in
            policyTexts[row.int64(0)] = row.text(1)
        }
        // The groups of the filter's sender and domain, by id: the day rows are then read by the primary key
        // alone, without a look-up of their group each (18,000 day rows, 4,300 groups at 100,000 reports).
        var keyOfGroup: [Int64: EvidenceTally.GroupKey] = [:]
        let groupCondition = filter.rollupConditions(days: nil)
        try DirectBinding.forEachRow(
            db,
            sql: """
                SELECT id, organization, policy_domain, policy_type, policy, result_type, mx_host, reason_code, additional_information
                FROM evidence_group WHERE \(groupCondition.sql)
                """,
            arguments: groupCondition.arguments
        ) { row in
            keyOfGroup[row.int64(0)] = EvidenceTally.GroupKey(
                sender: row.text(1), domain: row.key(2), policyType: row.text(3), policyText: policyTexts[row.int64(4)],
                resultType: row.text(5), mxHost: row.key(6), reasonCode: row.key(7), additionalInformation: row.key(8))
        }
        let period = ReportFilter().rollupConditions(days: days)
        var tallyGroup: [Int64: Int] = [:]
        try DirectBinding.forEachRow(
            db,
            sql: """
                SELECT evidence_group, \(CountSQL.sum("failed")), SUM(reports), MIN(first_start), MAX(last_end),
                    \(CountSQL.sum("receiving_ips_omitted")), \(CountSQL.sum("counted_failed")) FROM rollup_evidence
                WHERE \(period.sql) GROUP BY evidence_group
                """,
            arguments: period.arguments
        ) { row in
            let id = row.int64(0)
            guard let key = keyOfGroup[id] else { return }
            tallyGroup[id] = tally.addGroup(
                key, failed: row.int64(1), countedFailed: row.int64(6), reports: row.int64(2), firstStart: row.int64(3),
                lastEnd: row.int64(4), omittedReceivingIPs: row.int64(5))
        }
        try DirectBinding.forEachRow(
            db, sql: "SELECT evidence_group, kind, value FROM rollup_evidence_value WHERE \(period.sql)", arguments: period.arguments
        ) { row in
            guard let group = tallyGroup[row.int64(0)] else { return }
            switch Rollups.EvidenceValueKind(rawValue: row.int64(1)) {
            case .receivingIP: tally.addValue(group: group, receivingIP: row.text(2))
            case .resultTypeRaw: tally.addValue(group: group, resultTypeRaw: row.text(2))
            case nil: break
            }
        }

        // Added up here rather than by GROUP BY, as the session cells are (``rollupSummaryCells``): one row per
        // report at a provider's scale, where SQLite's sorter cost five times the reading.
        struct PolicyKey: Hashable {
            var domain: String
            var policy: Int64
        }
        var quoted: [PolicyKey: (reports: Int64, lastStart: Int64)] = [:]
        try DirectBinding.forEachRow(
            db, sql: "SELECT policy_domain, policy, reports, last_start FROM rollup_sts_policy WHERE \(condition.sql)",
            arguments: condition.arguments
        ) { row in
            let key = PolicyKey(domain: row.text(0), policy: row.int64(1))
            let current = quoted[key] ?? (0, .min)
            quoted[key] = (CountSum.add(current.reports, row.int64(2)), max(current.lastStart, row.int64(3)))
        }
        for (key, value) in quoted {
            guard let text = policyTexts[key.policy] else { continue }
            tally.addPolicy(domain: key.domain.isEmpty ? nil : key.domain, text: text, reports: value.reports, lastStart: value.lastStart)
        }

        guard withSessions else { return }
        try DirectBinding.forEachRow(
            db,
            sql: """
                SELECT organization, policy_domain, \(CountSQL.sum("successful")), \(CountSQL.sum("failed")) FROM rollup_session WHERE \(condition.sql)
                GROUP BY organization, policy_domain
                """,
            arguments: condition.arguments
        ) { row in
            tally.addSessions(sender: row.text(0), domain: row.key(1), successful: row.int64(2), failed: row.int64(3))
        }
    }

    /// The evidence of the reports `filter` selects, from the raw rows (for the partial days at a period's ends).
    static func addRawEvidence(_ filter: ReportFilter, withSessions: Bool, to tally: inout EvidenceTally, db: Database) throws {
        let condition = filter.conditions(policyAlias: "p")
        func key(_ row: Row) -> EvidenceTally.GroupKey {
            EvidenceTally.GroupKey(
                sender: row[0], domain: row[1], policyType: row[2], policyText: row[3], resultType: row[4], mxHost: row[5],
                reasonCode: row[6], additionalInformation: row[7])
        }
        let groupRows = try Row.fetchCursor(db, sql: SharedQueries.evidenceGroups(condition.sql, .sqlite), arguments: condition.arguments)
        while let row = try groupRows.next() {
            tally.addGroup(key(row), failed: row[8], countedFailed: row[12], reports: row[9], firstStart: row[10], lastEnd: row[11])
        }
        let valueRows = try Row.fetchCursor(db, sql: SharedQueries.evidenceValues(condition.sql, .sqlite), arguments: condition.arguments)
        while let row = try valueRows.next() {
            tally.addValue(key(row), receivingIP: row[8], resultTypeRaw: row[9])
        }

        let policyRows = try Row.fetchCursor(db, sql: SharedQueries.quotedPolicies(condition.sql, .sqlite), arguments: condition.arguments)
        while let row = try policyRows.next() {
            tally.addPolicy(domain: row[0], text: row[1], reports: row[2], lastStart: row[3])
        }

        guard withSessions else { return }
        let sessionRows = try Row.fetchCursor(db, sql: SharedQueries.evidenceSessions(condition.sql, .sqlite), arguments: condition.arguments)
        while let row = try sessionRows.next() {
            tally.addSessions(sender: row[0], domain: row[1], successful: row[2], failed: row[3])
        }
    }

    /// Counted sessions per policy domain and UTC day of the report's start, oldest first: whole days from
    /// the rollups, the partial days at the period's ends from the raw rows.
    package func dailyTotals(_ filter: ReportFilter) throws(StoreError) -> [DailyTotals] {
        try read { db in try Self.dailyTotals(filter, db: db) }
    }

    static func dailyTotals(_ filter: ReportFilter, db: Database) throws -> [DailyTotals] {
        let split = DaySplit(filter)
        var totals: [DailyTotals] = []
        if let days = split.wholeDays {
            let condition = filter.rollupConditions(days: days)
            try DirectBinding.forEachRow(
                db,
                sql: """
                    SELECT policy_domain, day * 86400, \(CountSQL.sum("successful")), \(CountSQL.sum("failed")) FROM rollup_session
                    WHERE \(condition.sql) GROUP BY policy_domain, day
                    """,
                arguments: condition.arguments
            ) { row in
                totals.append(DailyTotals(domain: row.key(0), day: Self.date(row.int64(1)), successful: row.int64(2), failed: row.int64(3)))
            }
        }
        for edge in split.edges {
            let condition = edge.conditions(policyAlias: "p")
            totals += try Row.fetchAll(db, sql: SharedQueries.dailyTotals(condition.sql, .sqlite), arguments: condition.arguments).map { DailyTotals(domain: $0[0], day: Self.date($0[1]), successful: $0[2], failed: $0[3]) }
        }
        return totals.sorted { ($0.day, $0.domain ?? "") < ($1.day, $1.domain ?? "") }
    }

    /// Failure details one by one, newest report first (the drill-down behind a summary line).
    package func failureRows(_ filter: FailureRowFilter) throws(StoreError) -> [FailureDetailRow] {
        try read { db in
            let condition = filter.report.conditions(policyAlias: "p")
            let sql = SharedQueries.failureDetails(
                condition.sql, resultType: filter.resultType != nil, mxHost: filter.mxHost != nil, limit: filter.limit != nil, .sqlite)
            var arguments = condition.arguments
            if let resultType = filter.resultType { arguments += [resultType] }
            if let host = filter.mxHost { arguments += [host] }
            if let limit = filter.limit { arguments += [limit] }
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                FailureDetailRow(
                    reportStart: Self.date(row[0]), sender: row[1], reportID: row[2], domain: row[3], policyType: row[4],
                    resultType: row[5], sendingMTAIP: row[6], mxHost: row[7], mxHelo: row[8], receivingIP: row[9],
                    failed: row[10], reasonCode: row[11], additionalInformation: row[12])
            }
        }
    }

    /// The lines of a stored `policy_strings` (a canonical JSON array of strings), as `EvidenceRows` carry it.
    package static func decodePolicyStrings(_ stored: String?) -> [String] {
        guard let stored, let value = try? JSONParser().parse(Array(stored.utf8)), case .array(let elements) = value else { return [] }
        return elements.compactMap { if case .string(let text) = $0 { text } else { nil } }
    }

    static func list(_ concatenated: String?) -> [String] {
        guard let concatenated else { return [] }
        return concatenated.split(separator: ",").map(String.init).filter { !$0.isEmpty }.sorted()
    }

    static func date(_ seconds: Int64) -> Date {
        Date(timeIntervalSince1970: TimeInterval(seconds))
    }
}
