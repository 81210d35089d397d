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
        var receivingIPs: [String] = []
        var resultTypeRaw: [String] = []
    }

    /// The report's failure details gathered by failure-group key, in order of first appearance, and the
    /// MTA-STS policy texts it quoted (each (domain, text) once: a report counts once per quoted policy).
    /// `policyTexts[i]` is the stored `policy_strings` of `policies[i]`. Keys and values compare bytewise, as
    /// the database's UNIQUE keys do.
    static func evidence(
        of policies: [PolicyResult], policyTexts: [String?]
    ) -> (failures: [FailureEvidence], stsPolicies: [(domain: String?, text: String)]) {
        var failures: [FailureEvidence] = []
        var index: [[ExactText?]: Int] = [:]
        var stsPolicies: [(domain: String?, text: String)] = []
        var quoted: Set<[ExactText?]> = []
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
                }
                failures[i].failed += detail.failedSessionCount
                if let ip = detail.receivingIP, !failures[i].receivingIPs.contains(where: { $0.utf8.elementsEqual(ip.utf8) }) {
                    failures[i].receivingIPs.append(ip)
                }
                let raw = detail.resultTypeRaw
                if !raw.utf8.elementsEqual(entry.resultType.utf8), !failures[i].resultTypeRaw.contains(where: { $0.utf8.elementsEqual(raw.utf8) }) {
                    failures[i].resultTypeRaw.append(raw)
                }
            }
        }
        return (failures, stsPolicies)
    }

    /// Adds one report's evidence (called by ``add(organization:start:end:sessions:failures:evidence:stsPolicies:db:)``).
    static func addEvidence(
        day: Int64, organization: String, start: Int64, failures: [FailureEvidence], stsPolicies: [(domain: String?, text: String)],
        cache: inout InsertCache, db: Database
    ) throws {
        if !failures.isEmpty {
            let rollup = try cache.statement(
                """
                INSERT INTO rollup_evidence VALUES (?, ?, ?, 1, ?, ?)
                ON CONFLICT DO UPDATE SET failed = failed + excluded.failed, reports = reports + 1,
                    first_start = MIN(first_start, excluded.first_start), last_start = MAX(last_start, excluded.last_start)
                """, db)
            let value = try cache.statement("INSERT OR IGNORE INTO rollup_evidence_value VALUES (?, ?, ?, ?)", db)
            for entry in failures {
                let policy = try entry.policyText.map { try policyTextID($0, cache: &cache, db: db) } ?? 0
                let group = try evidenceGroupID(organization: organization, policy: policy, entry, cache: &cache, db: db)
                var row = DirectBinding(rollup, db)
                row.bind(day)
                row.bind(group)
                row.bind(entry.failed)
                row.bind(start)
                row.bind(start)
                try row.execute()
                for (kind, texts) in [(EvidenceValueKind.receivingIP, entry.receivingIPs), (.resultTypeRaw, entry.resultTypeRaw)] {
                    for text in texts {
                        var row = DirectBinding(value, db)
                        row.bind(day)
                        row.bind(group)
                        row.bind(kind.rawValue)
                        row.bind(text)
                        try row.execute()
                    }
                }
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

    /// Recomputes the evidence rollups from the raw rows, with the same keys and values as
    /// ``addEvidence(day:organization:start:failures:stsPolicies:cache:db:)`` gives report by report.
    static func rebuildEvidence(_ db: Database) throws {
        let groupColumns = "organization, policy_domain, policy_type, policy, result_type, mx_host, reason_code, additional_information"
        try db.execute(
            sql: """
                DELETE FROM rollup_evidence_value;
                DELETE FROM rollup_evidence;
                DELETE FROM evidence_group;
                DELETE FROM rollup_sts_policy;
                DELETE FROM policy_text;
                INSERT INTO policy_text (text)
                    SELECT DISTINCT policy_strings FROM policy WHERE policy_strings IS NOT NULL ORDER BY 1;
                -- Every failure detail once with its day and group key, for the three statements below.
                CREATE TEMP TABLE evidence_detail AS
                    SELECT \(dayOf("r.start_time")) AS day, r.id AS report, r.start_time AS start, f.failed_sessions AS failed,
                        f.receiving_ip, NULLIF(f.result_type_raw, f.result_type) AS result_type_raw, r.organization,
                        COALESCE(p.policy_domain, '') AS policy_domain, p.policy_type, COALESCE(t.id, 0) AS policy, f.result_type,
                        COALESCE(f.receiving_mx_hostname, '') AS mx_host, COALESCE(f.failure_reason_code, '') AS reason_code,
                        COALESCE(f.additional_information, '') AS additional_information
                    FROM failure f JOIN policy p ON p.id = f.policy JOIN report r ON r.id = f.report
                        LEFT JOIN policy_text t ON t.text = p.policy_strings;
                INSERT INTO evidence_group (\(groupColumns))
                    SELECT DISTINCT \(groupColumns) FROM evidence_detail ORDER BY \(groupColumns);
                CREATE TEMP TABLE evidence_detail_group AS
                    SELECT d.day, g.id AS evidence_group, d.report, d.start, d.failed, d.receiving_ip, d.result_type_raw
                    FROM evidence_detail d JOIN evidence_group g USING (\(groupColumns));
                INSERT INTO rollup_evidence
                    SELECT day, evidence_group, SUM(failed), COUNT(DISTINCT report), MIN(start), MAX(start)
                    FROM evidence_detail_group GROUP BY day, evidence_group;
                INSERT INTO rollup_evidence_value
                    SELECT day, evidence_group, \(EvidenceValueKind.receivingIP.rawValue), receiving_ip FROM evidence_detail_group
                    WHERE receiving_ip IS NOT NULL
                    UNION
                    SELECT day, evidence_group, \(EvidenceValueKind.resultTypeRaw.rawValue), result_type_raw FROM evidence_detail_group
                    WHERE result_type_raw IS NOT NULL;
                DROP TABLE evidence_detail;
                DROP TABLE evidence_detail_group;
                INSERT INTO rollup_sts_policy
                    SELECT \(dayOf("r.start_time")), r.organization, COALESCE(p.policy_domain, ''), t.id, COUNT(DISTINCT r.id),
                        MAX(r.start_time)
                    FROM policy p JOIN report r ON r.id = p.report JOIN policy_text t ON t.text = p.policy_strings
                    WHERE p.policy_type = 'sts'
                    GROUP BY 1, 2, 3, 4;
                """)
    }

    /// The UTC day of a Unix time, rounded down also before 1970 (as ``add(organization:start:end:sessions:failures:evidence:stsPolicies:db:)`` does).
    static func dayOf(_ seconds: String) -> String {
        "(CASE WHEN \(seconds) >= 0 THEN \(seconds) / 86400 ELSE (\(seconds) - 86399) / 86400 END)"
    }
}
