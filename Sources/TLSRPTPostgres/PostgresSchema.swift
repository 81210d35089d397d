/// The PostgreSQL schema as versioned migrations, applied in order and recorded in `tlsrpt_migration`.
///
/// The tables are the SQLite store's (docs/ARCHITECTURE.md, "Data model") as of its v9, in PostgreSQL's
/// types: integers are `bigint` (flags too, so that the SQL both stores share compares them with `= 1`),
/// bytes are `bytea`, ids come from sequences so that a batch can take its ids in one round trip. There are
/// no rollup tables: reads add up the raw rows.
enum PostgresSchema {
    /// A constant key for `pg_advisory_xact_lock`: every process that opens the database takes it before it
    /// reads which migrations were applied, so that two collectors starting at once run each migration once.
    static let migrationLock: Int64 = 0x746C_7372_7074_0001

    static let migrations: [(version: String, statements: [String])] = [
        (
            "v1",
            [
                """
                CREATE SEQUENCE report_id_seq
                """,
                """
                CREATE TABLE report (
                    id bigint PRIMARY KEY DEFAULT nextval('report_id_seq'),
                    organization text NOT NULL,
                    report_id text NOT NULL,
                    contact_info text,
                    start_time bigint NOT NULL,
                    end_time bigint NOT NULL,
                    content_hash bytea NOT NULL,
                    conflict bigint NOT NULL DEFAULT 0,
                    channel text NOT NULL,
                    source_name text NOT NULL,
                    submitter text,
                    report_domain text,
                    message_id text,
                    subject_report_id text,
                    mail_date text,
                    client_address text,
                    user_agent text,
                    received_at bigint NOT NULL,
                    notes text,
                    counts bigint NOT NULL DEFAULT 1,
                    -- SHA-256 of the identity (organisation, report-id, date range): what a batch looks its
                    -- reports up by. The text itself is written by strangers and may be longer than a B-tree
                    -- key may be (2,704 bytes: a report-id of 3 KB would fail its whole batch).
                    identity bytea NOT NULL
                )
                """,
                "CREATE INDEX report_identity ON report (identity)",
                "CREATE INDEX report_start ON report (start_time)",
                """
                CREATE TABLE report_raw (
                    report bigint PRIMARY KEY REFERENCES report (id) ON DELETE CASCADE,
                    raw_gzip bytea NOT NULL
                )
                """,
                "CREATE SEQUENCE policy_id_seq",
                """
                CREATE TABLE policy (
                    id bigint PRIMARY KEY DEFAULT nextval('policy_id_seq'),
                    report bigint NOT NULL REFERENCES report (id) ON DELETE CASCADE,
                    position bigint NOT NULL,
                    policy_type text NOT NULL,
                    policy_domain text,
                    inferred_domain text,
                    policy_strings text,
                    mx_hosts text,
                    sts_mode text,
                    sts_max_age bigint,
                    sts_mx text,
                    sts_problems text,
                    successful bigint NOT NULL CHECK (successful >= 0),
                    failed bigint NOT NULL CHECK (failed >= 0),
                    counted bigint NOT NULL,
                    -- Copies of the report's columns the summaries filter and group by, so that they read
                    -- policies without joining every one to its report (SQLDialect.policiesWithReports).
                    report_organization text NOT NULL,
                    report_start bigint NOT NULL,
                    report_end bigint NOT NULL,
                    report_counts bigint NOT NULL
                )
                """,
                "CREATE INDEX policy_report ON policy (report)",
                // The first 200 characters, for the same reason (SQLDialect.domainEquals). Not a hash index:
                // one domain's thousands of rows would make every insert walk one long bucket chain.
                "CREATE INDEX policy_domain ON policy (left(policy_domain, 200))",
                """
                CREATE TABLE failure (
                    id bigserial PRIMARY KEY,
                    policy bigint NOT NULL REFERENCES policy (id) ON DELETE CASCADE,
                    report bigint NOT NULL REFERENCES report (id) ON DELETE CASCADE,
                    result_type text NOT NULL,
                    result_type_raw text NOT NULL,
                    category text NOT NULL,
                    sending_mta_ip text,
                    receiving_mx_hostname text,
                    receiving_mx_helo text,
                    receiving_ip text,
                    failed_sessions bigint NOT NULL CHECK (failed_sessions >= 0),
                    additional_information text,
                    failure_reason_code text,
                    -- Copies of the policy's and the report's columns, for the same reason.
                    policy_domain text,
                    policy_type text NOT NULL,
                    policy_strings text,
                    policy_counted bigint NOT NULL,
                    report_organization text NOT NULL,
                    report_start bigint NOT NULL,
                    report_end bigint NOT NULL,
                    report_counts bigint NOT NULL
                )
                """,
                "CREATE INDEX failure_policy ON failure (policy)",
                "CREATE INDEX failure_report ON failure (report)",
                "CREATE TABLE seen_input (hash bytea PRIMARY KEY, outcome text NOT NULL)",
                """
                CREATE TABLE rejection (
                    id bigserial PRIMARY KEY,
                    input_hash bytea UNIQUE,
                    channel text NOT NULL,
                    source_name text NOT NULL,
                    reason text NOT NULL,
                    kept_at text,
                    received_at bigint NOT NULL,
                    raw bytea
                )
                """,
                """
                CREATE TABLE alert (
                    id bigserial PRIMARY KEY,
                    kind text NOT NULL,
                    rule text NOT NULL,
                    hosts text NOT NULL,
                    domains text NOT NULL,
                    severity text NOT NULL,
                    headline text NOT NULL,
                    first_seen bigint NOT NULL,
                    last_seen bigint NOT NULL,
                    raised_at bigint NOT NULL,
                    resolved_at bigint,
                    payload text NOT NULL
                )
                """,
                "CREATE INDEX alert_last_seen ON alert (last_seen)",
                """
                CREATE TABLE alert_delivery (
                    id bigserial PRIMARY KEY,
                    alert bigint NOT NULL REFERENCES alert (id) ON DELETE CASCADE,
                    channel text NOT NULL,
                    target text NOT NULL,
                    delivered bigint NOT NULL DEFAULT 0,
                    attempts bigint NOT NULL DEFAULT 0,
                    error text,
                    finished_at bigint
                )
                """,
                "CREATE INDEX alert_delivery_alert ON alert_delivery (alert)",
                """
                CREATE TABLE probe_status (
                    rule text NOT NULL,
                    domain text NOT NULL,
                    hosts text NOT NULL,
                    status text NOT NULL,
                    check_name text NOT NULL,
                    detail text NOT NULL,
                    probed_at bigint NOT NULL,
                    PRIMARY KEY (rule, domain, hosts)
                )
                """,
            ]
        ),
        (
            // Read views for dashboards (Grafana, Metabase, psql): stable names and columns, documented in
            // docs/OPERATIONS.md. Only the version of a report that counts, and for sessions only the policies
            // that count (the summary's rules); days are UTC days of the report's start.
            "v2-views",
            [
                """
                CREATE VIEW tlsrpt_daily_domain AS
                SELECT (to_timestamp(r.start_time) AT TIME ZONE 'UTC')::date AS day, p.policy_domain,
                    COUNT(DISTINCT r.id) AS reports, SUM(p.successful)::bigint AS successful_sessions,
                    SUM(p.failed)::bigint AS failed_sessions
                FROM policy p JOIN report r ON r.id = p.report
                WHERE r.counts = 1 AND p.counted = 1
                GROUP BY 1, 2
                """,
                """
                CREATE VIEW tlsrpt_daily_sender AS
                SELECT (to_timestamp(r.start_time) AT TIME ZONE 'UTC')::date AS day, r.organization AS sender, p.policy_domain,
                    COUNT(DISTINCT r.id) AS reports, SUM(p.successful)::bigint AS successful_sessions,
                    SUM(p.failed)::bigint AS failed_sessions
                FROM policy p JOIN report r ON r.id = p.report
                WHERE r.counts = 1 AND p.counted = 1
                GROUP BY 1, 2, 3
                """,
                """
                CREATE VIEW tlsrpt_daily_result_type AS
                SELECT (to_timestamp(r.start_time) AT TIME ZONE 'UTC')::date AS day, p.policy_domain, f.result_type,
                    SUM(f.failed_sessions)::bigint AS failed_sessions
                FROM failure f JOIN policy p ON p.id = f.policy JOIN report r ON r.id = f.report
                WHERE r.counts = 1
                GROUP BY 1, 2, 3
                """,
                """
                CREATE VIEW tlsrpt_daily_mx_host AS
                SELECT (to_timestamp(r.start_time) AT TIME ZONE 'UTC')::date AS day, p.policy_domain,
                    f.receiving_mx_hostname AS mx_host, f.result_type, SUM(f.failed_sessions)::bigint AS failed_sessions
                FROM failure f JOIN policy p ON p.id = f.policy JOIN report r ON r.id = f.report
                WHERE r.counts = 1
                GROUP BY 1, 2, 3, 4
                """,
            ]
        ),
    ]

    /// Applies the migrations not yet recorded, all in one transaction under the migration lock. Returns the
    /// versions this call applied (empty when another process, or an earlier run, had applied them all).
    ///
    /// A database that is up to date is only read, without the lock or any CREATE: the collectors' role
    /// (docs/OPERATIONS.md, "Roles") may write rows but not change the schema, which its owner does.
    @discardableResult
    static func migrate(_ session: PostgresSession) throws -> [String] {
        if try pending(session).isEmpty { return [] }
        // A session lock, taken before the transaction: a transaction that waited for the lock inside would
        // still look tables up in the catalog as it was when it began, and miss those the winner created.
        try session.execute("SELECT pg_advisory_lock(?)", [.integer(migrationLock)])
        defer { _ = try? session.execute("SELECT pg_advisory_unlock(?)", [.integer(migrationLock)]) }
        return try session.transaction { session in
            // Read again under the lock: another process may have applied them meanwhile.
            let waiting = try pending(session)
            do {
                try session.execute(
                    "CREATE TABLE IF NOT EXISTS tlsrpt_migration (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())")
                var ran: [String] = []
                for migration in migrations where waiting.contains(migration.version) {
                    for statement in migration.statements { try session.execute(statement) }
                    try session.execute("INSERT INTO tlsrpt_migration (version) VALUES (?)", [.text(migration.version)])
                    ran.append(migration.version)
                }
                return ran
            } catch where PostgresSession.sqlState(error) == "42501" {
                throw PostgresSchemaError(
                    message: "the database needs migration \(waiting.joined(separator: ", ")), which this role may not create (\(PostgresReportStore.describe(error))): "
                        + "run 'tlsrpt check' once as the database's owner (docs/OPERATIONS.md, \"Roles\")")
            }
        }
    }

    /// The versions not yet applied, in order; all of them for a new database. Fails when the database
    /// was upgraded by a newer tlsrpt.
    static func pending(_ session: PostgresSession) throws -> [String] {
        let exists = try PostgresColumns(try session.rows("SELECT to_regclass('tlsrpt_migration') IS NOT NULL")[0]).bool(0)
        let applied = exists ? Set(try session.rows("SELECT version FROM tlsrpt_migration").map { try PostgresColumns($0).text(0) }) : []
        if let unknown = applied.subtracting(migrations.map(\.version)).sorted().first {
            throw PostgresSchemaError(
                message: "the database was upgraded by a newer tlsrpt (it has migration \(unknown)); use that version or newer")
        }
        return migrations.map(\.version).filter { !applied.contains($0) }
    }
}

struct PostgresSchemaError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
