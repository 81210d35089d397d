package import Foundation
import GRDB
import TLSRPTCore

/// An alert about to be recorded: which problem (its rule, hosts and domains), what it said, and the report
/// times the problem was seen at.
package struct NewAlertRow: Sendable, Equatable {
    /// `new` (a problem with no failures in the window before) or `jump` (a known problem whose rate jumped).
    package var kind: String
    package var rule: String
    package var hosts: [String]
    package var domains: [String]
    package var severity: String
    package var headline: String
    package var firstSeen: Date
    package var lastSeen: Date
    /// The alert as JSON, exactly as the channels receive it.
    package var payload: String

    package init(
        kind: String, rule: String, hosts: [String], domains: [String], severity: String, headline: String, firstSeen: Date, lastSeen: Date,
        payload: String
    ) {
        self.kind = kind
        self.rule = rule
        self.hosts = hosts
        self.domains = domains
        self.severity = severity
        self.headline = headline
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.payload = payload
    }
}

/// A recorded alert with what became of it on each channel.
package struct AlertRow: Sendable, Equatable {
    package var id: Int64
    package var alert: NewAlertRow
    package var raisedAt: Date
    package var deliveries: [Delivery]

    /// One channel's outcome. `delivered` false with no `finishedAt` means the delivery was still going on
    /// (or its process ended before it finished).
    package struct Delivery: Sendable, Equatable {
        package var id: Int64
        /// `command`, `webhook` or `mail`.
        package var channel: String
        /// The command line, URL or address.
        package var target: String
        package var delivered: Bool
        package var attempts: Int
        package var error: String?
        package var finishedAt: Date?

        package init(id: Int64, channel: String, target: String, delivered: Bool, attempts: Int, error: String?, finishedAt: Date?) {
            self.id = id
            self.channel = channel
            self.target = target
            self.delivered = delivered
            self.attempts = attempts
            self.error = error
            self.finishedAt = finishedAt
        }
    }

    package init(id: Int64, alert: NewAlertRow, raisedAt: Date, deliveries: [Delivery]) {
        self.id = id
        self.alert = alert
        self.raisedAt = raisedAt
        self.deliveries = deliveries
    }
}

/// Where one channel's delivery of an alert is recorded.
package struct PendingDelivery: Sendable, Equatable {
    package var id: Int64
    package var alertID: Int64
    package var channel: String
    package var target: String

    package init(id: Int64, alertID: Int64, channel: String, target: String) {
        self.id = id
        self.alertID = alertID
        self.channel = channel
        self.target = target
    }
}

extension ReportStore {
    /// Records the candidates that no earlier alert already told, with one pending delivery per channel, in one
    /// write transaction: two processes that find the same new problem at once (a `watch` and an `ingest -`
    /// pipe) raise it once.
    ///
    /// An earlier alert is read when its problem was last seen less than `window` before the candidate's and
    /// it is still open (a resolved problem that comes back is told again); `isCovered(candidate, earlier)`
    /// says whether it told the same problem. Candidates are compared with each other too, in order.
    ///
    /// Returns, per recorded candidate (by its index), its alert id and pending deliveries.
    package func raiseAlerts(
        _ candidates: [NewAlertRow], channels: [(channel: String, target: String)], window: TimeInterval, now: Date = Date(),
        isCovered: (_ candidate: NewAlertRow, _ earlier: NewAlertRow) -> Bool
    ) throws(StoreError) -> [(index: Int, alertID: Int64, deliveries: [PendingDelivery])] {
        guard !candidates.isEmpty else { return [] }
        let since = Int64((candidates.map(\.lastSeen).min()!.timeIntervalSince1970 - window).rounded(.down))
        return try write { db in
            let earlier = try Row.fetchAll(
                db, sql: "SELECT \(Self.alertColumns) FROM alert WHERE last_seen >= ? AND resolved_at IS NULL AND kind != 'resolved' ORDER BY id",
                arguments: [since]
            ).map { Self.alertRow($0).alert }
            return try AlertCandidates.raise(candidates, after: earlier, window: window, isCovered: isCovered) { candidate in
                try Self.insert(candidate, channels: channels, raisedAt: Int64(now.timeIntervalSince1970), db: db)
            }
        }
    }

    /// Records how one channel's delivery ended.
    package func recordDelivery(_ delivery: PendingDelivery, delivered: Bool, attempts: Int, error: String?, now: Date = Date()) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: "UPDATE alert_delivery SET delivered = ?, attempts = ?, error = ?, finished_at = ? WHERE id = ?",
                arguments: [delivered, attempts, error, Int64(now.timeIntervalSince1970), delivery.id])
        }
    }

    /// Alerts of problems (`new`, `jump`) not yet resolved, oldest first, without their deliveries.
    package func openAlerts() throws(StoreError) -> [AlertRow] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT \(Self.alertColumns) FROM alert WHERE resolved_at IS NULL AND kind IN ('new', 'jump') ORDER BY id"
            ).map(Self.alertRow)
        }
    }

    /// The "resolved" notices whose problem was last seen at or after `since`, oldest first.
    package func resolvedNotices(since: Date) throws(StoreError) -> [AlertRow] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT \(Self.alertColumns) FROM alert WHERE kind = 'resolved' AND last_seen >= ? ORDER BY id",
                arguments: [Int64(since.timeIntervalSince1970.rounded(.down))]
            ).map(Self.alertRow)
        }
    }

    /// Marks the alert `id` resolved and records the notice that says so, with one pending delivery per
    /// channel, in one transaction; nil when the alert was resolved already (by another process).
    package func resolveAlert(
        _ id: Int64, notice: NewAlertRow, channels: [(channel: String, target: String)], now: Date = Date()
    ) throws(StoreError) -> (alertID: Int64, deliveries: [PendingDelivery])? {
        let at = Int64(now.timeIntervalSince1970)
        return try write { db in
            try db.execute(sql: "UPDATE alert SET resolved_at = ? WHERE id = ? AND resolved_at IS NULL", arguments: [at, id])
            guard db.changesCount == 1 else { return nil }
            return try Self.insert(notice, channels: channels, raisedAt: at, db: db)
        }
    }

    static func insert(
        _ alert: NewAlertRow, channels: [(channel: String, target: String)], raisedAt: Int64, db: Database
    ) throws -> (alertID: Int64, deliveries: [PendingDelivery]) {
        try db.execute(
            sql: """
                INSERT INTO alert (kind, rule, hosts, domains, severity, headline, first_seen, last_seen, raised_at, payload)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                alert.kind, alert.rule, jsonList(alert.hosts), jsonList(alert.domains), alert.severity, alert.headline,
                Int64(alert.firstSeen.timeIntervalSince1970), Int64(alert.lastSeen.timeIntervalSince1970), raisedAt, alert.payload,
            ])
        let alertID = db.lastInsertedRowID
        var deliveries: [PendingDelivery] = []
        for channel in channels {
            try db.execute(
                sql: "INSERT INTO alert_delivery (alert, channel, target) VALUES (?, ?, ?)", arguments: [alertID, channel.channel, channel.target])
            deliveries.append(PendingDelivery(id: db.lastInsertedRowID, alertID: alertID, channel: channel.channel, target: channel.target))
        }
        return (alertID, deliveries)
    }

    /// Alerts, newest first (at most `limit`), each with its deliveries.
    package func alerts(limit: Int? = nil) throws(StoreError) -> [AlertRow] {
        try read { db in
            var alerts = try Row.fetchAll(
                db, sql: "SELECT \(Self.alertColumns) FROM alert ORDER BY raised_at DESC, id DESC \(limit.map { "LIMIT \($0)" } ?? "")"
            ).map(Self.alertRow)
            guard !alerts.isEmpty else { return [] }
            var byID: [Int64: Int] = [:]
            for (index, alert) in alerts.enumerated() { byID[alert.id] = index }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, alert, channel, target, delivered, attempts, error, finished_at FROM alert_delivery
                    WHERE alert >= ? ORDER BY id
                    """,
                arguments: [alerts.map(\.id).min()!])
            for row in rows {
                guard let index = byID[row["alert"]] else { continue }
                let finished: Int64? = row["finished_at"]
                alerts[index].deliveries.append(
                    AlertRow.Delivery(
                        id: row["id"], channel: row["channel"], target: row["target"], delivered: row["delivered"], attempts: row["attempts"],
                        error: row["error"], finishedAt: finished.map { Date(timeIntervalSince1970: TimeInterval($0)) }))
            }
            return alerts
        }
    }

    static let alertColumns = "id, kind, rule, hosts, domains, severity, headline, first_seen, last_seen, raised_at, payload"

    static func alertRow(_ row: Row) -> AlertRow {
        let firstSeen: Int64 = row["first_seen"]
        let lastSeen: Int64 = row["last_seen"]
        let raisedAt: Int64 = row["raised_at"]
        let alert = NewAlertRow(
            kind: row["kind"], rule: row["rule"], hosts: decodePolicyStrings(row["hosts"]), domains: decodePolicyStrings(row["domains"]),
            severity: row["severity"], headline: row["headline"], firstSeen: Date(timeIntervalSince1970: TimeInterval(firstSeen)),
            lastSeen: Date(timeIntervalSince1970: TimeInterval(lastSeen)), payload: row["payload"])
        return AlertRow(id: row["id"], alert: alert, raisedAt: Date(timeIntervalSince1970: TimeInterval(raisedAt)), deliveries: [])
    }

    /// A list of names as a canonical JSON array (as `policy_strings` keeps its lines).
    package static func jsonList(_ names: [String]) -> String {
        String(decoding: JSONValue.array(names.map(JSONValue.string)).canonicalBytes(), as: UTF8.self)
    }
}

/// Which candidates of a commit are new problems, the same for every store: a candidate is told unless an
/// open alert seen within `window` before it (or a candidate before it in this commit) told the same problem.
package enum AlertCandidates {
    package static func raise(
        _ candidates: [NewAlertRow], after earlier: [NewAlertRow], window: TimeInterval,
        isCovered: (_ candidate: NewAlertRow, _ earlier: NewAlertRow) -> Bool,
        record: (NewAlertRow) throws -> (alertID: Int64, deliveries: [PendingDelivery])
    ) throws -> [(index: Int, alertID: Int64, deliveries: [PendingDelivery])] {
        var told = earlier
        var raised: [(index: Int, alertID: Int64, deliveries: [PendingDelivery])] = []
        for (index, candidate) in candidates.enumerated() {
            let cutoff = candidate.lastSeen.addingTimeInterval(-window)
            if told.contains(where: { $0.lastSeen >= cutoff && isCovered(candidate, $0) }) { continue }
            let (alertID, deliveries) = try record(candidate)
            told.append(candidate)
            raised.append((index, alertID, deliveries))
        }
        return raised
    }
}
