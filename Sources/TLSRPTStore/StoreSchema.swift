import GRDB

/// The schema, as GRDB migrations registered in order from the first version, so that an upgrade of the
/// tool upgrades the database on first use and never rewrites history.
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            // One row per stored report. Times are Unix seconds (UTC) so that period filters are integer
            // comparisons on an index. The raw JSON is kept gzip-compressed
            // for reprocessing, in report_raw.
            try db.execute(
                sql: """
                    CREATE TABLE report (
                        id INTEGER PRIMARY KEY,
                        organization TEXT NOT NULL,
                        report_id TEXT NOT NULL,
                        contact_info TEXT,
                        start_time INTEGER NOT NULL,
                        end_time INTEGER NOT NULL,
                        content_hash BLOB NOT NULL UNIQUE,
                        conflict INTEGER NOT NULL DEFAULT 0,
                        channel TEXT NOT NULL,
                        source_name TEXT NOT NULL,
                        submitter TEXT,
                        report_domain TEXT,
                        message_id TEXT,
                        subject_report_id TEXT,
                        mail_date TEXT,
                        client_address TEXT,
                        user_agent TEXT,
                        received_at INTEGER NOT NULL,
                        notes TEXT
                    );
                    CREATE INDEX report_identity ON report(organization, report_id);
                    CREATE INDEX report_start ON report(start_time);

                    -- The raw JSON lives beside the report, not in it: a kilobyte per row would make every
                    -- scan of `report` read ten times the pages (measured: 3.4 s against 0.2 s at 100k reports).
                    CREATE TABLE report_raw (
                        report INTEGER PRIMARY KEY REFERENCES report(id) ON DELETE CASCADE,
                        raw_gzip BLOB NOT NULL
                    );

                    -- `counted` marks the policy that stands for a report's sessions for its domain
                    -- (docs/ARCHITECTURE.md counting rules), decided once at insert time.
                    CREATE TABLE policy (
                        id INTEGER PRIMARY KEY,
                        report INTEGER NOT NULL REFERENCES report(id) ON DELETE CASCADE,
                        position INTEGER NOT NULL,
                        policy_type TEXT NOT NULL,
                        policy_domain TEXT,
                        inferred_domain TEXT,
                        policy_strings TEXT,
                        mx_hosts TEXT,
                        sts_mode TEXT,
                        sts_max_age INTEGER,
                        sts_mx TEXT,
                        sts_problems TEXT,
                        successful INTEGER NOT NULL CHECK (successful >= 0),
                        failed INTEGER NOT NULL CHECK (failed >= 0),
                        counted INTEGER NOT NULL
                    );
                    CREATE INDEX policy_report ON policy(report);
                    CREATE INDEX policy_domain ON policy(policy_domain);

                    CREATE TABLE failure (
                        id INTEGER PRIMARY KEY,
                        policy INTEGER NOT NULL REFERENCES policy(id) ON DELETE CASCADE,
                        report INTEGER NOT NULL REFERENCES report(id) ON DELETE CASCADE,
                        result_type TEXT NOT NULL,
                        result_type_raw TEXT NOT NULL,
                        category TEXT NOT NULL,
                        sending_mta_ip TEXT,
                        receiving_mx_hostname TEXT,
                        receiving_mx_helo TEXT,
                        receiving_ip TEXT,
                        failed_sessions INTEGER NOT NULL CHECK (failed_sessions >= 0),
                        additional_information TEXT,
                        failure_reason_code TEXT
                    );
                    CREATE INDEX failure_policy ON failure(policy);
                    CREATE INDEX failure_report ON failure(report);

                    -- Inputs already seen (by a hash of their bytes), so that re-reading a folder skips them
                    -- before any decoding.
                    -- `outcome` is 'stored' or 'rejected', so that a rerun after a crash between the commit
                    -- and a maildir rename still moves the message where its outcome says.
                    CREATE TABLE seen_input (
                        hash BLOB PRIMARY KEY,
                        outcome TEXT NOT NULL
                    ) WITHOUT ROWID;

                    CREATE TABLE rejection (
                        id INTEGER PRIMARY KEY,
                        input_hash BLOB UNIQUE,
                        channel TEXT NOT NULL,
                        source_name TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        kept_at TEXT,
                        received_at INTEGER NOT NULL,
                        raw BLOB
                    );
                    """)
        }
        migrator.registerMigration("v2-rollups") { db in
            // Filled by the rebuild that follows the migrations (it needs the columns later ones add).
            try db.execute(sql: Rollups.schema)
            try Rollups.markStale(db)
        }
        migrator.registerMigration("v3-evidence-rollups") { db in
            // Filled by v5's rebuild, which always runs after this one: the rebuild now needs v5's column.
            try db.execute(sql: Rollups.evidenceSchema)
        }
        migrator.registerMigration("v4-report-hash-unindexed") { db in
            // `content_hash` was UNIQUE, which kept an index of random 32-byte keys that every insert had to
            // update, although no query looks a hash up: a duplicate is found by its identity
            // (organisation, report-id), which the same content always shares. SQLite drops a column
            // constraint only by rebuilding the table (foreign keys are off during a migration, so the
            // rows pointing at reports stay as they are).
            try db.execute(
                sql: """
                    CREATE TABLE report_new (
                        id INTEGER PRIMARY KEY,
                        organization TEXT NOT NULL,
                        report_id TEXT NOT NULL,
                        contact_info TEXT,
                        start_time INTEGER NOT NULL,
                        end_time INTEGER NOT NULL,
                        content_hash BLOB NOT NULL,
                        conflict INTEGER NOT NULL DEFAULT 0,
                        channel TEXT NOT NULL,
                        source_name TEXT NOT NULL,
                        submitter TEXT,
                        report_domain TEXT,
                        message_id TEXT,
                        subject_report_id TEXT,
                        mail_date TEXT,
                        client_address TEXT,
                        user_agent TEXT,
                        received_at INTEGER NOT NULL,
                        notes TEXT
                    );
                    INSERT INTO report_new SELECT id, organization, report_id, contact_info, start_time, end_time, content_hash,
                        conflict, channel, source_name, submitter, report_domain, message_id, subject_report_id, mail_date,
                        client_address, user_agent, received_at, notes FROM report;
                    DROP TABLE report;
                    ALTER TABLE report_new RENAME TO report;
                    CREATE INDEX report_identity ON report(organization, report_id);
                    CREATE INDEX report_start ON report(start_time);
                    """)
        }
        migrator.registerMigration("v5-saturated-counts") { db in
            // Rollup counts were added with a plain `+`, which SQLite turns into a REAL past 64 bits (after
            // which every summary failed), and a failure group kept every distinct receiving IP it was sent.
            // The rebuild adds the raw rows up again with saturated sums (`CountSQL`), keeps at most
            // `Rollups.maxValuesPerGroup` values per day and group, and counts the receiving IPs left out.
            // (The rebuild runs after the migrations: it needs the columns later ones add.)
            try db.execute(sql: Rollups.omittedValuesSchema)
            try Rollups.markStale(db)
        }
        migrator.registerMigration("v6-counting-rule") { db in
            // Issue #13. Two rules changed (docs/ARCHITECTURE.md, "Data model" and "Counting rules"):
            //
            // - Which policies count. Before, one entry per report and policy domain counted. Now entries of
            //   the same policy type for one domain add up (SocketLabs splits a policy into a success and a
            //   failure entry; a policy that changed during the day gives one entry per version), and of
            //   different types (Microsoft's sts and tlsa) the type with the most sessions, then the most
            //   failures, then the first, counts.
            // - Which versions of a report count. The identity is now (organisation, report-id, date range),
            //   and of several versions of one identity only one counts: the most counted sessions, then the
            //   most failures, then the lowest content hash. `conflict` is worked out again by the new
            //   identity: a report-id reused for another date range is no conflict.
            //
            // The rule is written out here in SQL, not taken from `CountingRule`, so that this migration does
            // what it did when it was written. The decoder bounds a report's sums to 2^53, so plain sums of
            // one report's counts cannot overflow.
            try db.execute(
                sql: """
                    ALTER TABLE report ADD COLUMN counts INTEGER NOT NULL DEFAULT 1;
                    DROP INDEX report_identity;
                    CREATE INDEX report_identity ON report(organization, report_id, start_time, end_time);

                    CREATE TEMP TABLE counted_type AS
                        SELECT report, policy_domain, policy_type FROM (
                            SELECT report, policy_domain, policy_type, ROW_NUMBER() OVER (
                                PARTITION BY report, policy_domain ORDER BY total DESC, failed DESC, first) AS rank
                            FROM (
                                SELECT report, policy_domain, policy_type, SUM(successful) + SUM(failed) AS total,
                                    SUM(failed) AS failed, MIN(position) AS first
                                FROM policy GROUP BY report, policy_domain, policy_type))
                        WHERE rank = 1;
                    CREATE INDEX temp.counted_type_report ON counted_type(report);
                    UPDATE policy SET counted = EXISTS (
                        SELECT 1 FROM counted_type k WHERE k.report = policy.report AND k.policy_domain IS policy.policy_domain
                            AND k.policy_type = policy.policy_type);
                    DROP TABLE counted_type;

                    CREATE TEMP TABLE report_weight AS
                        SELECT r.id, r.organization, r.report_id, r.start_time, r.end_time, r.content_hash,
                            COALESCE(SUM(p.successful + p.failed), 0) AS sessions, COALESCE(SUM(p.failed), 0) AS failed
                        FROM report r LEFT JOIN policy p ON p.report = r.id AND p.counted = 1
                        GROUP BY r.id;
                    UPDATE report SET counts = 0, conflict = 1 WHERE id IN (
                        SELECT id FROM (
                            SELECT id, ROW_NUMBER() OVER (
                                PARTITION BY organization, report_id, start_time, end_time
                                ORDER BY sessions DESC, failed DESC, content_hash) AS rank
                            FROM report_weight)
                        WHERE rank > 1);
                    UPDATE report SET conflict = EXISTS (
                        SELECT 1 FROM report o WHERE o.organization = report.organization AND o.report_id = report.report_id
                            AND o.start_time = report.start_time AND o.end_time = report.end_time AND o.id != report.id);
                    DROP TABLE report_weight;
                    """)
            try Rollups.markStale(db)
        }
        migrator.registerMigration("v7-evidence-counted") { db in
            // Issue #13. A finding added up the failures of every policy entry, so Microsoft's sts and tlsa
            // copies of the same sessions counted twice in it while the totals counted them once. The
            // evidence now also keeps the failures of the entries that count (`counted_failed`), the end of
            // the latest report (a finding is "last seen" when that report ends, not when it starts), and an
            // index to look a group's first report up beyond the period ("since").
            try db.execute(sql: Rollups.evidenceCountedSchema)
            try Rollups.markStale(db)
        }
        migrator.registerMigration("v8-alerts") { db in
            // Issue #16. One row per alert raised (a new problem, or a known one whose failure rate jumped),
            // with what it said (`payload`, the JSON the channels were given), and one row per channel it went
            // to, with the outcome: an alert is recorded before it is delivered, so a channel that hangs or a
            // process that is killed leaves a row saying "not delivered", never nothing. The problem's identity
            // (`rule`, `hosts`, `domains`) and the report times it was seen at (`first_seen`, `last_seen`) are
            // what the next commit compares with, so the same problem is told once until it has been quiet.
            // `resolved_at` is set when a "resolved" notice was raised for it (a row of kind `resolved`).
            try db.execute(
                sql: """
                    CREATE TABLE alert (
                        id INTEGER PRIMARY KEY,
                        kind TEXT NOT NULL,
                        rule TEXT NOT NULL,
                        hosts TEXT NOT NULL,
                        domains TEXT NOT NULL,
                        severity TEXT NOT NULL,
                        headline TEXT NOT NULL,
                        first_seen INTEGER NOT NULL,
                        last_seen INTEGER NOT NULL,
                        raised_at INTEGER NOT NULL,
                        resolved_at INTEGER,
                        payload TEXT NOT NULL
                    );
                    CREATE INDEX alert_last_seen ON alert(last_seen);

                    CREATE TABLE alert_delivery (
                        id INTEGER PRIMARY KEY,
                        alert INTEGER NOT NULL REFERENCES alert(id) ON DELETE CASCADE,
                        channel TEXT NOT NULL,
                        target TEXT NOT NULL,
                        delivered INTEGER NOT NULL DEFAULT 0,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        error TEXT,
                        finished_at INTEGER
                    );
                    CREATE INDEX alert_delivery_alert ON alert_delivery(alert);
                    """)
        }
        migrator.registerMigration("v9-probe-status") { db in
            // Issue #18. What `tlsrpt probe` last saw of each stored finding: one row per finding identity
            // (rule, policy domain, hosts), replaced by each probe, so that the summary can say "the probe of
            // <date> found this fixed" until a later report shows the failure again.
            try db.execute(
                sql: """
                    CREATE TABLE probe_status (
                        rule TEXT NOT NULL,
                        domain TEXT NOT NULL,
                        hosts TEXT NOT NULL,
                        status TEXT NOT NULL,
                        check_name TEXT NOT NULL,
                        detail TEXT NOT NULL,
                        probed_at INTEGER NOT NULL,
                        PRIMARY KEY (rule, domain, hosts)
                    );
                    """)
        }
        return migrator
    }
}
