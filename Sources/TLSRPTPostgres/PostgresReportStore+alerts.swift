package import Foundation
import TLSRPTCore
package import TLSRPTStore

extension PostgresReportStore {
    /// A constant key for `pg_advisory_xact_lock`: raising alerts reads the open ones and records new ones in
    /// one transaction under it, so that two collectors that find the same new problem at once raise it once.
    static let alertLock: Int64 = 0x746C_7372_7074_0002

    static let alertColumns = "id, kind, rule, hosts, domains, severity, headline, first_seen, last_seen, raised_at, payload"

    static func alertRow(_ c: PostgresColumns) throws -> AlertRow {
        let alert = NewAlertRow(
            kind: try c.text(1), rule: try c.text(2), hosts: ReportStore.decodePolicyStrings(try c.text(3)),
            domains: ReportStore.decodePolicyStrings(try c.text(4)), severity: try c.text(5), headline: try c.text(6),
            firstSeen: Date(timeIntervalSince1970: TimeInterval(try c.int64(7))), lastSeen: Date(timeIntervalSince1970: TimeInterval(try c.int64(8))),
            payload: try c.text(10))
        return AlertRow(id: try c.int64(0), alert: alert, raisedAt: Date(timeIntervalSince1970: TimeInterval(try c.int64(9))), deliveries: [])
    }

    package func raiseAlerts(
        _ candidates: [NewAlertRow], channels: [(channel: String, target: String)], window: TimeInterval, now: Date,
        isCovered: (_ candidate: NewAlertRow, _ earlier: NewAlertRow) -> Bool
    ) throws(StoreError) -> [(index: Int, alertID: Int64, deliveries: [PendingDelivery])] {
        guard !candidates.isEmpty else { return [] }
        let since = Int64((candidates.map(\.lastSeen).min()!.timeIntervalSince1970 - window).rounded(.down))
        return try write { session in
            try session.execute("SELECT pg_advisory_xact_lock(?)", [.integer(Self.alertLock)])
            let earlier = try session.rows(
                "SELECT \(Self.alertColumns) FROM alert WHERE last_seen >= ? AND resolved_at IS NULL AND kind != 'resolved' ORDER BY id",
                [.integer(since)]
            ).map { try Self.alertRow(PostgresColumns($0)).alert }
            return try AlertCandidates.raise(candidates, after: earlier, window: window, isCovered: isCovered) { candidate in
                try Self.insert(candidate, channels: channels, raisedAt: Int64(now.timeIntervalSince1970), session: session)
            }
        }
    }

    static func insert(
        _ alert: NewAlertRow, channels: [(channel: String, target: String)], raisedAt: Int64, session: PostgresSession
    ) throws -> (alertID: Int64, deliveries: [PendingDelivery]) {
        let alertID = try PostgresColumns(
            try session.rows(
                """
                INSERT INTO alert (kind, rule, hosts, domains, severity, headline, first_seen, last_seen, raised_at, payload)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                """,
                [
                    .text(alert.kind), .text(alert.rule), .text(ReportStore.jsonList(alert.hosts)), .text(ReportStore.jsonList(alert.domains)),
                    .text(alert.severity), .text(alert.headline), .integer(Int64(alert.firstSeen.timeIntervalSince1970)),
                    .integer(Int64(alert.lastSeen.timeIntervalSince1970)), .integer(raisedAt), .text(alert.payload),
                ])[0]
        ).int64(0)
        var deliveries: [PendingDelivery] = []
        for channel in channels {
            let id = try PostgresColumns(
                try session.rows(
                    "INSERT INTO alert_delivery (alert, channel, target) VALUES (?, ?, ?) RETURNING id",
                    [.integer(alertID), .text(channel.channel), .text(channel.target)])[0]
            ).int64(0)
            deliveries.append(PendingDelivery(id: id, alertID: alertID, channel: channel.channel, target: channel.target))
        }
        return (alertID, deliveries)
    }

    package func recordDelivery(_ delivery: PendingDelivery, delivered: Bool, attempts: Int, error: String?, now: Date) throws(StoreError) {
        _ = try write { session in
            try session.execute(
                "UPDATE alert_delivery SET delivered = ?, attempts = ?, error = ?, finished_at = ? WHERE id = ?",
                [PostgresValue(delivered), .integer(Int64(attempts)), PostgresValue(error), .integer(Int64(now.timeIntervalSince1970)), .integer(delivery.id)])
        }
    }

    package func openAlerts() throws(StoreError) -> [AlertRow] {
        try read { session in
            try session.rows("SELECT \(Self.alertColumns) FROM alert WHERE resolved_at IS NULL AND kind IN ('new', 'jump') ORDER BY id")
                .map { try Self.alertRow(PostgresColumns($0)) }
        }
    }

    package func resolvedNotices(since: Date) throws(StoreError) -> [AlertRow] {
        try read { session in
            try session.rows(
                "SELECT \(Self.alertColumns) FROM alert WHERE kind = 'resolved' AND last_seen >= ? ORDER BY id",
                [.integer(Int64(since.timeIntervalSince1970.rounded(.down)))]
            ).map { try Self.alertRow(PostgresColumns($0)) }
        }
    }

    package func resolveAlert(
        _ id: Int64, notice: NewAlertRow, channels: [(channel: String, target: String)], now: Date
    ) throws(StoreError) -> (alertID: Int64, deliveries: [PendingDelivery])? {
        let at = Int64(now.timeIntervalSince1970)
        return try write { session in
            guard try session.execute("UPDATE alert SET resolved_at = ? WHERE id = ? AND resolved_at IS NULL", [.integer(at), .integer(id)]) == 1
            else { return nil }
            return try Self.insert(notice, channels: channels, raisedAt: at, session: session)
        }
    }

    package func alerts(limit: Int?) throws(StoreError) -> [AlertRow] {
        try read { session in
            var alerts = try session.rows(
                "SELECT \(Self.alertColumns) FROM alert ORDER BY raised_at DESC, id DESC \(limit.map { "LIMIT \($0)" } ?? "")"
            ).map { try Self.alertRow(PostgresColumns($0)) }
            guard let oldest = alerts.map(\.id).min() else { return [] }
            var byID: [Int64: Int] = [:]
            for (index, alert) in alerts.enumerated() { byID[alert.id] = index }
            for row in try session.rows(
                "SELECT id, alert, channel, target, delivered, attempts, error, finished_at FROM alert_delivery WHERE alert >= ? ORDER BY id",
                [.integer(oldest)])
            {
                let c = PostgresColumns(row)
                guard let index = byID[try c.int64(1)] else { continue }
                alerts[index].deliveries.append(
                    AlertRow.Delivery(
                        id: try c.int64(0), channel: try c.text(2), target: try c.text(3), delivered: try c.int64(4) != 0, attempts: try c.int(5),
                        error: try c.optionalText(6), finishedAt: try c.optionalInt64(7).map { Date(timeIntervalSince1970: TimeInterval($0)) }))
            }
            return alerts
        }
    }

    package func recordProbeStatuses(_ records: [ProbeStatusRecord]) throws(StoreError) {
        guard !records.isEmpty else { return }
        try write { session in
            for record in records {
                try session.execute(
                    """
                    INSERT INTO probe_status (rule, domain, hosts, status, check_name, detail, probed_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (rule, domain, hosts) DO UPDATE SET
                        status = excluded.status, check_name = excluded.check_name, detail = excluded.detail, probed_at = excluded.probed_at
                    """,
                    [
                        .text(record.rule), .text(record.domain), .text(record.hostsKey), .text(record.status), .text(record.check),
                        .text(record.detail), .integer(Int64(record.probedAt.timeIntervalSince1970)),
                    ])
            }
        }
    }

    package func probeStatuses(domain: String?) throws(StoreError) -> [ProbeStatusRecord] {
        try read { session in
            try session.rows(
                """
                SELECT rule, domain, hosts, status, check_name, detail, probed_at FROM probe_status
                WHERE ?::text IS NULL OR domain = ? ORDER BY domain COLLATE "C", rule COLLATE "C", hosts COLLATE "C"
                """, [PostgresValue(domain), PostgresValue(domain)]
            ).map { row in
                let c = PostgresColumns(row)
                return ProbeStatusRecord(
                    rule: try c.text(0), domain: try c.text(1), hosts: try c.text(2).split(separator: " ").map(String.init), status: try c.text(3),
                    check: try c.text(4), detail: try c.text(5), probedAt: Date(timeIntervalSince1970: TimeInterval(try c.int64(6))))
            }
        }
    }
}
