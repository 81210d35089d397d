import GRDB

/// Per-day aggregates kept beside the raw rows, so that a summary adds up a few rows per day, sender and
/// domain instead of every policy and failure detail it covers.
///
/// They are maintained by the insert, in the same transaction, and rebuilt from the raw rows by migrations
/// and after a prune. A day is the UTC day of a report's date-range start, the same key the period filter
/// uses, so whole days inside a period come from here and only the two edge days from the raw rows. The
/// empty string stands for "no policy domain" (and "no MX host"), because NULLs never conflict in a
/// UNIQUE key and would defeat the upsert.
enum Rollups {
    static let schema = """
        CREATE TABLE rollup_report (
            day INTEGER NOT NULL,
            organization TEXT NOT NULL,
            reports INTEGER NOT NULL,
            first_start INTEGER NOT NULL,
            last_end INTEGER NOT NULL,
            PRIMARY KEY (day, organization)
        ) WITHOUT ROWID;
        CREATE TABLE rollup_session (
            day INTEGER NOT NULL,
            organization TEXT NOT NULL,
            policy_domain TEXT NOT NULL,
            reports INTEGER NOT NULL,
            successful INTEGER NOT NULL,
            failed INTEGER NOT NULL,
            first_start INTEGER NOT NULL,
            last_end INTEGER NOT NULL,
            PRIMARY KEY (day, organization, policy_domain)
        ) WITHOUT ROWID;
        CREATE TABLE rollup_failure (
            day INTEGER NOT NULL,
            organization TEXT NOT NULL,
            policy_domain TEXT NOT NULL,
            result_type TEXT NOT NULL,
            mx_host TEXT NOT NULL,
            failed INTEGER NOT NULL,
            PRIMARY KEY (day, organization, policy_domain, result_type, mx_host)
        ) WITHOUT ROWID;
        """

    /// Recomputes every rollup from the raw rows (after a migration or a prune). Only the version of a
    /// report that counts (`report.counts`) is in the rollups, and of it only the policies that count for
    /// sessions (`policy.counted`).
    static func rebuild(_ db: Database) throws {
        try rebuild(db, scope: nil)
    }

    /// Recomputes the rollups of one UTC day and sender from the raw rows: after a new version of a report
    /// took the place of the one that counted. Failure groups and policy texts keep their numbers (a batch's
    /// cache holds them), so the ones no longer used stay, unused.
    static func rebuild(_ db: Database, day: Int64, organization: String) throws {
        try rebuild(db, scope: (day, organization))
    }

    /// Notes that the rollups no longer match the raw rows. A migration calls this instead of rebuilding
    /// them itself: the rebuild is live code, which needs the schema of the last migration, so it runs once
    /// after all of them (``rebuildIfStale(_:)``, when the store opens). The note is committed with the
    /// migration, so a crash before the rebuild leaves it for the next open.
    static func markStale(_ db: Database) throws {
        try db.execute(sql: "CREATE TABLE IF NOT EXISTS rollup_stale (since INTEGER NOT NULL); INSERT INTO rollup_stale VALUES (strftime('%s', 'now'))")
    }

    /// Rebuilds the rollups when a migration left them stale; says whether it did.
    @discardableResult
    static func rebuildIfStale(_ db: Database) throws -> Bool {
        guard try db.tableExists("rollup_stale"), try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM rollup_stale") ?? 0 > 0 else { return false }
        try rebuild(db)
        try db.execute(sql: "DELETE FROM rollup_stale")
        return true
    }

    private static func rebuild(_ db: Database, scope: (day: Int64, organization: String)?) throws {
        // `:day` and `:organization` are named arguments, each statement takes those it uses.
        let rollupScope = scope == nil ? "1" : "day = :day AND organization = :organization"
        let reportScope =
            scope == nil ? "r.counts = 1" : "r.counts = 1 AND r.organization = :organization AND r.start_time >= :day * 86400 AND r.start_time < (:day + 1) * 86400"
        let arguments: StatementArguments = scope.map { ["day": $0.day, "organization": $0.organization] } ?? [:]
        if try db.tableExists("rollup_evidence") {
            try rebuildEvidence(db, scoped: scope != nil, reportScope: reportScope, arguments: arguments)
        }
        try db.execute(
            sql: """
                DELETE FROM rollup_report WHERE \(rollupScope);
                DELETE FROM rollup_session WHERE \(rollupScope);
                DELETE FROM rollup_failure WHERE \(rollupScope);
                INSERT INTO rollup_report
                    SELECT \(UTCDay.sql("r.start_time")), r.organization, COUNT(*), MIN(r.start_time), MAX(r.end_time)
                    FROM report r WHERE \(reportScope) GROUP BY 1, 2;
                INSERT INTO rollup_session
                    SELECT \(UTCDay.sql("r.start_time")), r.organization, COALESCE(p.policy_domain, ''), COUNT(DISTINCT r.id),
                        \(CountSQL.sum("p.successful")), \(CountSQL.sum("p.failed")), MIN(r.start_time), MAX(r.end_time)
                    FROM policy p JOIN report r ON r.id = p.report WHERE p.counted = 1 AND \(reportScope) GROUP BY 1, 2, 3;
                INSERT INTO rollup_failure
                    SELECT \(UTCDay.sql("r.start_time")), r.organization, COALESCE(p.policy_domain, ''), f.result_type,
                        COALESCE(f.receiving_mx_hostname, ''), \(CountSQL.sum("f.failed_sessions"))
                    FROM failure f JOIN policy p ON p.id = f.policy JOIN report r ON r.id = f.report WHERE \(reportScope)
                    GROUP BY 1, 2, 3, 4, 5;
                """, arguments: arguments)
    }

    /// Adds one report to the rollups (called by the insert, inside its transaction).
    static func add(
        organization: String, start: Int64, end: Int64, sessions: [(domain: String?, successful: Int64, failed: Int64)],
        failures: [(domain: String?, resultType: String, mxHost: String?, failed: Int64)], evidence: [FailureEvidence],
        stsPolicies: [(domain: String?, text: String)], cache: inout InsertCache, db: Database
    ) throws {
        let day = UTCDay.of(start)
        try addEvidence(
            day: day, organization: organization, start: start, end: end, failures: evidence, stsPolicies: stsPolicies, cache: &cache, db: db)
        var report = DirectBinding(
            try cache.statement(
                """
                INSERT INTO rollup_report VALUES (?, ?, 1, ?, ?)
                ON CONFLICT DO UPDATE SET reports = reports + 1, first_start = MIN(first_start, excluded.first_start),
                    last_end = MAX(last_end, excluded.last_end)
                """, db), db)
        report.bind(day)
        report.bind(organization)
        report.bind(start)
        report.bind(end)
        try report.execute()
        let session = try cache.statement(
            """
            INSERT INTO rollup_session VALUES (?, ?, ?, 1, ?, ?, ?, ?)
            ON CONFLICT DO UPDATE SET reports = reports + 1, successful = MIN(successful + excluded.successful, 9007199254740992),
                failed = MIN(failed + excluded.failed, 9007199254740992), first_start = MIN(first_start, excluded.first_start),
                last_end = MAX(last_end, excluded.last_end)
            """, db)
        for entry in sessions {
            var row = DirectBinding(session, db)
            row.bind(day)
            row.bind(organization)
            row.bind(entry.domain ?? "")
            row.bind(entry.successful)
            row.bind(entry.failed)
            row.bind(start)
            row.bind(end)
            try row.execute()
        }
        let failure = try cache.statement(
            """
            INSERT INTO rollup_failure VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT DO UPDATE SET failed = MIN(failed + excluded.failed, 9007199254740992)
            """, db)
        for entry in failures {
            var row = DirectBinding(failure, db)
            row.bind(day)
            row.bind(organization)
            row.bind(entry.domain ?? "")
            row.bind(entry.resultType)
            row.bind(entry.mxHost ?? "")
            row.bind(entry.failed)
            try row.execute()
        }
    }
}
