package import Foundation
import GRDB

/// What a probe saw of one stored finding, kept so that summaries can say a cause was found fixed.
package struct ProbeStatusRecord: Sendable, Equatable {
    /// The finding's identity: the rule that made it, one policy domain, its hosts (sorted).
    package var rule: String
    package var domain: String
    package var hosts: [String]
    /// `present`, `gone` or `unchecked`.
    package var status: String
    /// The check that decided it, and what it saw.
    package var check: String
    package var detail: String
    /// When the probe ran, in whole seconds.
    package var probedAt: Date

    package init(rule: String, domain: String, hosts: [String], status: String, check: String, detail: String, probedAt: Date) {
        self.rule = rule
        self.domain = domain
        self.hosts = hosts.sorted()
        self.status = status
        self.check = check
        self.detail = detail
        self.probedAt = Date(timeIntervalSince1970: probedAt.timeIntervalSince1970.rounded(.down))
    }

    /// Hosts as one key column: host names hold no spaces.
    package var hostsKey: String { hosts.joined(separator: " ") }
}

extension ReportStore {
    /// Records a probe's statuses, each replacing the previous probe's status of the same finding.
    package func recordProbeStatuses(_ records: [ProbeStatusRecord]) throws(StoreError) {
        guard !records.isEmpty else { return }
        try write { db in
            for record in records {
                try db.execute(
                    sql: """
                        INSERT INTO probe_status (rule, domain, hosts, status, check_name, detail, probed_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (rule, domain, hosts) DO UPDATE SET
                            status = excluded.status, check_name = excluded.check_name, detail = excluded.detail, probed_at = excluded.probed_at
                        """,
                    arguments: [
                        record.rule, record.domain, record.hostsKey, record.status, record.check, record.detail,
                        Int64(record.probedAt.timeIntervalSince1970),
                    ])
            }
        }
    }

    /// The latest status of every finding probed, for the given policy domain or all.
    package func probeStatuses(domain: String? = nil) throws(StoreError) -> [ProbeStatusRecord] {
        try read { db in
            // A read-only open of a database from before v8 has no such table: no probe has run there.
            guard try db.tableExists("probe_status") else { return [] }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT rule, domain, hosts, status, check_name, detail, probed_at FROM probe_status
                    WHERE ? IS NULL OR domain = ? ORDER BY domain, rule, hosts
                    """,
                arguments: [domain, domain])
            return rows.map { row in
                let hosts: String = row["hosts"]
                return ProbeStatusRecord(
                    rule: row["rule"], domain: row["domain"], hosts: hosts.split(separator: " ").map(String.init), status: row["status"],
                    check: row["check_name"], detail: row["detail"], probedAt: Date(timeIntervalSince1970: TimeInterval(row["probed_at"] as Int64)))
            }
        }
    }
}
