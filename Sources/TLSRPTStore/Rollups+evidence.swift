import GRDB
import TLSRPTCore

/// Per-day rollups of what the diagnosis reads, so that `summary --all` adds up a few thousand rows instead
/// of grouping every failure detail and quoted policy it covers (1.1 s and 1.0 s in sqlite3 at a million
/// reports).
///
/// `evidence_group` names each failure group once, whatever the day: everything a diagnosis rule tells
/// apart (sender, policy domain, policy type and text, result type, MX host, reason code, additional
/// information). `rollup_evidence` holds one row per day and group, keyed by integers, so that a period
/// groups integers rather than eight text columns (the 18,000 day rows of 100,000 reports: about 40 ms by
/// the texts, 7 ms by the id, in sqlite3). A report counts once per row however many of its failure details
/// share the group, so `reports` adds up across days (a report has one day). The distinct receiving IPs and
/// raw result-type spellings of a day and group are kept in `rollup_evidence_value`, because a distinct set
/// cannot be summed: the union over days is the set over the period. Sending IPs are not kept: no rule
/// shows them, and there are tens of thousands.
///
/// The values kept per day, group and kind stop at ``maxValuesPerGroup``: one hostile report can name
/// 100,000 receiving IPs in one group (a 277 KB gzip), and no diagnosis shows more than a few. The receiving
/// IPs left out are counted in `rollup_evidence.receiving_ips_omitted` (an upper bound: an IP left out by
/// two reports counts twice), so a finding can say "and up to N more".
///
/// `rollup_sts_policy` holds the MTA-STS policies quoted per day, sender and domain, so `--sender` still
/// reads rollups.
///
/// Policy texts are a few hundred bytes, and a large corpus has a few hundred distinct ones; they are
/// interned in `policy_text` and rows point at them (0: no policy text). The empty string stands for NULL in
/// the other key columns, as in the summary rollups. A rebuild numbers groups and texts afresh.
extension Rollups {
    static let evidenceSchema = """
        CREATE TABLE policy_text (
            id INTEGER PRIMARY KEY,
            text TEXT NOT NULL UNIQUE
        );
        CREATE TABLE evidence_group (
            id INTEGER PRIMARY KEY,
            organization TEXT NOT NULL,
            policy_domain TEXT NOT NULL,
            policy_type TEXT NOT NULL,
            policy INTEGER NOT NULL,
            result_type TEXT NOT NULL,
            mx_host TEXT NOT NULL,
            reason_code TEXT NOT NULL,
            additional_information TEXT NOT NULL,
            UNIQUE (organization, policy_domain, policy_type, policy, result_type, mx_host, reason_code, additional_information)
        );
        CREATE TABLE rollup_evidence (
            day INTEGER NOT NULL,
            evidence_group INTEGER NOT NULL,
            failed INTEGER NOT NULL,
            reports INTEGER NOT NULL,
            first_start INTEGER NOT NULL,
            last_start INTEGER NOT NULL,
            PRIMARY KEY (day, evidence_group)
        ) WITHOUT ROWID;
        CREATE TABLE rollup_evidence_value (
            day INTEGER NOT NULL,
            evidence_group INTEGER NOT NULL,
            kind INTEGER NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (day, evidence_group, kind, value)
        ) WITHOUT ROWID;
        CREATE TABLE rollup_sts_policy (
            day INTEGER NOT NULL,
            organization TEXT NOT NULL,
            policy_domain TEXT NOT NULL,
            policy INTEGER NOT NULL,
            reports INTEGER NOT NULL,
            last_start INTEGER NOT NULL,
            PRIMARY KEY (day, organization, policy_domain, policy)
        ) WITHOUT ROWID;
        """

    /// Distinct values kept per day, failure group and kind (see the type's comment).
    static let maxValuesPerGroup = 64

    /// Adds the column that counts the receiving IPs left out by the cap (migration "v5-saturated-counts").
    static let omittedValuesSchema = "ALTER TABLE rollup_evidence ADD COLUMN receiving_ips_omitted INTEGER NOT NULL DEFAULT 0"

    /// Adds the failures of counted entries, the end of the latest report, and the look-up of a group over
    /// all days (migration "v7-evidence-counted").
    static let evidenceCountedSchema = """
        ALTER TABLE rollup_evidence ADD COLUMN counted_failed INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE rollup_evidence ADD COLUMN last_end INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX rollup_evidence_by_group ON rollup_evidence(evidence_group, first_start);
        """

    /// What a `rollup_evidence_value` row is.
    enum EvidenceValueKind: Int64 {
        case receivingIP = 1
        /// `result_type_raw` where it differs from the canonical `result_type`.
        case resultTypeRaw = 2
    }

    /// One report's failure details that share a failure-group key, added up.
    struct FailureEvidence: Equatable {
        var domain: String?
        var policyType: String
        /// The policy's `policy_strings` as stored (canonical JSON), nil when it has none.
        var policyText: String?
        var resultType: String
        var mxHost: String?
        var reasonCode: String?
        var additionalInformation: String?
        var failed: Int64 = 0
        /// The part of `failed` reported under entries that count for the sessions (``CountingRule``): of
        /// Microsoft's sts and tlsa copies of the same sessions, one.
        var countedFailed: Int64 = 0
        /// The first ``Rollups/maxValuesPerGroup`` distinct receiving IPs, in order of appearance.
        var receivingIPs: [String] = []
        /// How many more distinct receiving IPs the report named for the group.
        var omittedReceivingIPs: Int64 = 0
        /// The first ``Rollups/maxValuesPerGroup`` distinct raw result-type spellings (the rest are dropped:
        /// they only ever differ in letter case, which a hostile report can vary 2^20 ways).
        var resultTypeRaw: [String] = []
    }

    /// The report's failure details gathered by failure-group key, in order of first appearance, and the
    /// MTA-STS policy texts it quoted (each (domain, text) once: a report counts once per quoted policy).
    /// `policyTexts[i]` is the stored `policy_strings` of `policies[i]`. Keys and values compare bytewise, as
    /// the database's UNIQUE keys do. Distinct values are found with sets, not by searching the kept lists:
    /// a search made 100,000 receiving IPs in one group take two minutes inside the write lock.
    static func evidence(
        of policies: [PolicyResult], policyTexts: [String?], counted: Set<Int>
    ) -> (failures: [FailureEvidence], stsPolicies: [(domain: String?, text: String)]) {
        var failures: [FailureEvidence] = []
        var index: [[ExactText?]: Int] = [:]
        var stsPolicies: [(domain: String?, text: String)] = []
        var quoted: Set<[ExactText?]> = []
        // Per failure group: every distinct receiving IP and raw spelling seen so far.
        var seen: [(receivingIPs: Set<ExactText>, resultTypeRaw: Set<ExactText>)] = []
        for (position, result) in policies.enumerated() {
            let policy = result.policy
            let text = policyTexts[position]
            let typeName = policy.type.name
            if typeName == "sts", let text, quoted.insert([policy.domain.map(ExactText.init), ExactText(text)]).inserted {
                stsPolicies.append((policy.domain, text))
            }
            for detail in result.failureDetails {
                let entry = FailureEvidence(
                    domain: policy.domain, policyType: typeName, policyText: text, resultType: detail.resultType.name,
                    mxHost: detail.receivingMXHostname, reasonCode: detail.failureReasonCode, additionalInformation: detail.additionalInformation)
                let key = [
                    entry.domain, entry.policyType, entry.policyText, entry.resultType, entry.mxHost, entry.reasonCode, entry.additionalInformation,
                ].map { $0.map(ExactText.init) }
                let i: Int
                if let existing = index[key] {
                    i = existing
                } else {
                    i = failures.count
                    index[key] = i
                    failures.append(entry)
                    seen.append(([], []))
                }
                failures[i].failed.addCount(detail.failedSessionCount)
                if counted.contains(position) { failures[i].countedFailed.addCount(detail.failedSessionCount) }
                if let ip = detail.receivingIP, seen[i].receivingIPs.insert(ExactText(ip)).inserted {
                    if failures[i].receivingIPs.count < maxValuesPerGroup {
                        failures[i].receivingIPs.append(ip)
                    } else {
                        failures[i].omittedReceivingIPs += 1
                    }
                }
                let raw = detail.resultTypeRaw
                if !raw.utf8.elementsEqual(entry.resultType.utf8), failures[i].resultTypeRaw.count < maxValuesPerGroup,
                    seen[i].resultTypeRaw.insert(ExactText(raw)).inserted
                {
                    failures[i].resultTypeRaw.append(raw)
                }
            }
        }
        return (failures, stsPolicies)
    }

    /// Adds one report's evidence (called by ``add(organization:start:end:sessions:failures:evidence:stsPolicies:db:)``).
    static func addEvidence(
        day: Int64, organization: String, start: Int64, end: Int64, failures: [FailureEvidence],
        stsPolicies: [(domain: String?, text: String)], cache: inout InsertCache, db: Database
    ) throws {
        if !failures.isEmpty {
            // `CountSQL.ceilingLiteral` written out: the statement is a StaticString.
            let rollup = try cache.statement(
                """
                INSERT INTO rollup_evidence (day, evidence_group, failed, reports, first_start, last_start, receiving_ips_omitted,
                    counted_failed, last_end)
                VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?)
                ON CONFLICT DO UPDATE SET failed = MIN(failed + excluded.failed, 9007199254740992), reports = reports + 1,
                    first_start = MIN(first_start, excluded.first_start), last_start = MAX(last_start, excluded.last_start),
                    receiving_ips_omitted = MIN(receiving_ips_omitted + excluded.receiving_ips_omitted, 9007199254740992),
                    counted_failed = MIN(counted_failed + excluded.counted_failed, 9007199254740992),
                    last_end = MAX(last_end, excluded.last_end)
                """, db)
            for entry in failures {
                let policy = try entry.policyText.map { try policyTextID($0, cache: &cache, db: db) } ?? 0
                let group = try evidenceGroupID(organization: organization, policy: policy, entry, cache: &cache, db: db)
                let leftOut = try addValues(entry.receivingIPs, kind: .receivingIP, day: day, group: group, cache: &cache, db: db)
                _ = try addValues(entry.resultTypeRaw, kind: .resultTypeRaw, day: day, group: group, cache: &cache, db: db)
                var row = DirectBinding(rollup, db)
                row.bind(day)
                row.bind(group)
                row.bind(entry.failed)
                row.bind(start)
                row.bind(start)
                row.bind(CountSum.add(entry.omittedReceivingIPs, leftOut))
                row.bind(entry.countedFailed)
                row.bind(end)
                try row.execute()
            }
        }
        if !stsPolicies.isEmpty {
            let quoted = try cache.statement(
                """
                INSERT INTO rollup_sts_policy VALUES (?, ?, ?, ?, 1, ?)
                ON CONFLICT DO UPDATE SET reports = reports + 1, last_start = MAX(last_start, excluded.last_start)
                """, db)
            for entry in stsPolicies {
                var row = DirectBinding(quoted, db)
                row.bind(day)
                row.bind(organization)
                row.bind(entry.domain ?? "")
                row.bind(try policyTextID(entry.text, cache: &cache, db: db))
                row.bind(start)
                try row.execute()
            }
        }
    }

    /// Keeps a report's distinct values of one kind for a day and group, up to ``maxValuesPerGroup`` kept in
    /// all, and says how many of them found no room and were not kept already. At most
    /// ``maxValuesPerGroup`` values come per report, so this is a bounded number of look-ups.
    static func addValues(
        _ texts: [String], kind: EvidenceValueKind, day: Int64, group: Int64, cache: inout InsertCache, db: Database
    ) throws -> Int64 {
        guard !texts.isEmpty else { return 0 }
        func bindKey(_ statement: Statement) -> DirectBinding {
            var row = DirectBinding(statement, db)
            row.bind(day)
            row.bind(group)
            row.bind(kind.rawValue)
            return row
        }
        var kept = 0
        try bindKey(try cache.statement("SELECT COUNT(*) FROM rollup_evidence_value WHERE day = ? AND evidence_group = ? AND kind = ?", db))
            .forEachRow { kept = Int($0.int64(0)) }
        var leftOut: Int64 = 0
        for text in texts {
            if kept < maxValuesPerGroup {
                var insert = bindKey(try cache.statement("INSERT OR IGNORE INTO rollup_evidence_value VALUES (?, ?, ?, ?)", db))
                insert.bind(text)
                try insert.execute()
                if db.changesCount > 0 { kept += 1 }
            } else {
                var find = bindKey(
                    try cache.statement(
                        "SELECT 1 FROM rollup_evidence_value WHERE day = ? AND evidence_group = ? AND kind = ? AND value = ?", db))
                find.bind(text)
                var known = false
                try find.forEachRow { _ in known = true }
                if !known { leftOut += 1 }
            }
        }
        return leftOut
    }

    /// The id of a failure group in `evidence_group`, adding it on first sight.
    static func evidenceGroupID(
        organization: String, policy: Int64, _ entry: FailureEvidence, cache: inout InsertCache, db: Database
    ) throws -> Int64 {
        let key = [
            organization, entry.domain ?? "", entry.policyType, String(policy), entry.resultType, entry.mxHost ?? "",
            entry.reasonCode ?? "", entry.additionalInformation ?? "",
        ].map(ExactText.init)
        if let known = cache.groups[key] { return known }
        func bindKey(_ statement: Statement) -> DirectBinding {
            var row = DirectBinding(statement, db)
            row.bind(organization)
            row.bind(entry.domain ?? "")
            row.bind(entry.policyType)
            row.bind(policy)
            row.bind(entry.resultType)
            row.bind(entry.mxHost ?? "")
            row.bind(entry.reasonCode ?? "")
            row.bind(entry.additionalInformation ?? "")
            return row
        }
        var found: Int64?
        try bindKey(
            try cache.statement(
                """
                SELECT id FROM evidence_group WHERE organization = ? AND policy_domain = ? AND policy_type = ? AND policy = ?
                    AND result_type = ? AND mx_host = ? AND reason_code = ? AND additional_information = ?
                """, db)
        ).forEachRow { found = $0.int64(0) }
        if found == nil {
            try bindKey(
                try cache.statement(
                    """
                    INSERT INTO evidence_group (organization, policy_domain, policy_type, policy, result_type, mx_host, reason_code,
                        additional_information) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, db)
            ).execute()
            found = db.lastInsertedRowID
        }
        cache.groups[key] = found!
        return found!
    }

    /// The id of a policy text in `policy_text`, interning it on first sight.
    static func policyTextID(_ text: String, cache: inout InsertCache, db: Database) throws -> Int64 {
        if let known = cache.policies[ExactText(text)] { return known }
        var find = DirectBinding(try cache.statement("SELECT id FROM policy_text WHERE text = ?", db), db)
        find.bind(text)
        var found: Int64?
        try find.forEachRow { found = $0.int64(0) }
        if found == nil {
            var insert = DirectBinding(try cache.statement("INSERT INTO policy_text (text) VALUES (?)", db), db)
            insert.bind(text)
            try insert.execute()
            found = db.lastInsertedRowID
        }
        cache.policies[ExactText(text)] = found!
        return found!
    }

    /// Recomputes the evidence rollups from the raw rows of the reports `reportScope` selects (a condition
    /// on `report r`), with the same keys and values as
    /// ``addEvidence(day:organization:start:end:failures:stsPolicies:cache:db:)`` gives report by report. A
    /// whole rebuild (`scoped` false) numbers groups and texts afresh; a scoped one keeps their numbers and
    /// adds those it lacks.
    static func rebuildEvidence(_ db: Database, scoped: Bool, reportScope: String, arguments: StatementArguments) throws {
        let groupColumns = "organization, policy_domain, policy_type, policy, result_type, mx_host, reason_code, additional_information"
        let clear =
            scoped
            ? """
            DELETE FROM rollup_evidence_value WHERE day = :day AND evidence_group IN (SELECT id FROM evidence_group WHERE organization = :organization);
            DELETE FROM rollup_evidence WHERE day = :day AND evidence_group IN (SELECT id FROM evidence_group WHERE organization = :organization);
            DELETE FROM rollup_sts_policy WHERE day = :day AND organization = :organization;
            """
            : """
            DELETE FROM rollup_evidence_value;
            DELETE FROM rollup_evidence;
            DELETE FROM evidence_group;
            DELETE FROM rollup_sts_policy;
            DELETE FROM policy_text;
            """
        try db.execute(
            sql: """
                \(clear)
                INSERT OR IGNORE INTO policy_text (text)
                    SELECT DISTINCT p.policy_strings FROM policy p JOIN report r ON r.id = p.report
                    WHERE p.policy_strings IS NOT NULL AND \(reportScope) ORDER BY 1;
                -- Every failure detail once with its day and group key, for the three statements below.
                CREATE TEMP TABLE evidence_detail AS
                    SELECT \(UTCDay.sql("r.start_time")) AS day, r.id AS report, r.start_time AS start, r.end_time AS end,
                        f.failed_sessions AS failed, CASE WHEN p.counted THEN f.failed_sessions ELSE 0 END AS counted_failed,
                        f.receiving_ip, NULLIF(f.result_type_raw, f.result_type) AS result_type_raw, r.organization,
                        COALESCE(p.policy_domain, '') AS policy_domain, p.policy_type, COALESCE(t.id, 0) AS policy, f.result_type,
                        COALESCE(f.receiving_mx_hostname, '') AS mx_host, COALESCE(f.failure_reason_code, '') AS reason_code,
                        COALESCE(f.additional_information, '') AS additional_information
                    FROM failure f JOIN policy p ON p.id = f.policy JOIN report r ON r.id = f.report
                        LEFT JOIN policy_text t ON t.text = p.policy_strings
                    WHERE \(reportScope);
                INSERT OR IGNORE INTO evidence_group (\(groupColumns))
                    SELECT DISTINCT \(groupColumns) FROM evidence_detail ORDER BY \(groupColumns);
                CREATE TEMP TABLE evidence_detail_group AS
                    SELECT d.day, g.id AS evidence_group, d.report, d.start, d.end, d.failed, d.counted_failed, d.receiving_ip,
                        d.result_type_raw
                    FROM evidence_detail d JOIN evidence_group g USING (\(groupColumns));
                INSERT INTO rollup_evidence (day, evidence_group, failed, reports, first_start, last_start, receiving_ips_omitted,
                        counted_failed, last_end)
                    SELECT day, evidence_group, \(CountSQL.sum("failed")), COUNT(DISTINCT report), MIN(start), MAX(start),
                        MAX(COUNT(DISTINCT receiving_ip) - \(maxValuesPerGroup), 0), \(CountSQL.sum("counted_failed")), MAX(end)
                    FROM evidence_detail_group GROUP BY day, evidence_group;
                -- The first values by byte order where a day and group has more than the cap (the insert keeps the
                -- first it sees; both say how many were left out).
                INSERT INTO rollup_evidence_value
                    SELECT day, evidence_group, kind, value FROM (
                        SELECT day, evidence_group, kind, value,
                            ROW_NUMBER() OVER (PARTITION BY day, evidence_group, kind ORDER BY value) AS position
                        FROM (
                            SELECT day, evidence_group, \(EvidenceValueKind.receivingIP.rawValue) AS kind, receiving_ip AS value
                            FROM evidence_detail_group WHERE receiving_ip IS NOT NULL
                            UNION
                            SELECT day, evidence_group, \(EvidenceValueKind.resultTypeRaw.rawValue), result_type_raw FROM evidence_detail_group
                            WHERE result_type_raw IS NOT NULL))
                    WHERE position <= \(maxValuesPerGroup);
                DROP TABLE evidence_detail;
                DROP TABLE evidence_detail_group;
                INSERT INTO rollup_sts_policy
                    SELECT \(UTCDay.sql("r.start_time")), r.organization, COALESCE(p.policy_domain, ''), t.id, COUNT(DISTINCT r.id),
                        MAX(r.start_time)
                    FROM policy p JOIN report r ON r.id = p.report JOIN policy_text t ON t.text = p.policy_strings
                    WHERE p.policy_type = 'sts' AND \(reportScope)
                    GROUP BY 1, 2, 3, 4;
                """, arguments: arguments)
    }
}
