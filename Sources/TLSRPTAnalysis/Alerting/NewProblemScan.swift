package import Foundation
import TLSRPTCore
package import TLSRPTStore

/// Reads what the alert check needs from the store and runs ``NewProblemDetector``: the diagnosis of the days
/// the new reports cover, and of the window before them, both limited to the policy domains the new reports
/// name (a provider's check reads its touched customers, not all 20,000; a shared host's finding among them
/// is still that host's finding, so a storm is still one problem).
///
/// Two reads per check, whatever the number of reports a commit stored; the summary's own read model
/// (`periodRows`, rollups for whole days) does the work, so a check costs what a one-domain summary of two
/// weeks costs.
package struct NewProblemScan: Sendable {
    package var detector: NewProblemDetector
    package var diagnoser: Diagnoser

    package init(detector: NewProblemDetector = NewProblemDetector(), diagnoser: Diagnoser = Diagnoser()) {
        self.detector = detector
        self.diagnoser = diagnoser
    }

    /// The alerts `touched` raises, before the store's record of earlier alerts is consulted.
    package func alerts(store: any ReportStorage, touched: CommittedFailures, now: Date = Date()) throws(StoreError) -> [Alert] {
        guard !touched.isEmpty, let first = touched.days.min(), let last = touched.days.max() else { return [] }
        let end = last.addingTimeInterval(86_400)
        var current = ReportFilter(from: first, to: end)
        var previous = ReportFilter(from: first.addingTimeInterval(-detector.window), to: first)
        // Failures under no named policy domain need every domain's rows (nil is not in an IN list).
        if !touched.touches.contains(where: { $0.domain == nil }) {
            current.domains = touched.domains.sorted()
            previous.domains = current.domains
        }
        let currentWindow = try window(store: store, current)
        let previousWindow = try window(store: store, previous)
        // Problems told resolved, with the first of their quiet days (the latest notice of each).
        let notices = try store.resolvedNotices(since: first.addingTimeInterval(-detector.window)).compactMap { row -> (ProblemIdentity, Date)? in
            guard let quiet = Self.quietDays(row).first else { return nil }
            return (ProblemIdentity(rule: row.alert.rule, hosts: row.alert.hosts, domains: row.alert.domains), quiet)
        }
        return detector.detect(
            current: currentWindow, previous: previousWindow, touched: touched,
            resolvedSince: { identity in notices.last { $0.0.isSameProblem(as: identity) }?.1 }, command: { Self.command(for: $0, now: now) })
    }

    /// The quiet days a "resolved" notice names (its payload's `quiet_days`).
    static func quietDays(_ row: AlertRow) -> [Date] {
        guard let payload = try? JSONParser().parse(Array(row.alert.payload.utf8)), case .object(let object) = payload,
            case .array(let values)? = object["quiet_days"]
        else { return [] }
        return values.compactMap { value -> Date? in
            guard case .string(let day) = value else { return nil }
            return ReportPeriod.date(day)
        }
    }

    /// A raised alert: what it says, its id in the store, and one pending delivery per channel.
    package struct Raised: Sendable {
        package var alert: Alert
        package var id: Int64
        package var deliveries: [PendingDelivery]
    }

    /// ``alerts(store:touched:now:)``, recorded in the store with one pending delivery per channel, leaving out
    /// those an earlier alert already told (``isCovered(_:by:)``).
    package func raise(
        store: any ReportStorage, touched: CommittedFailures, channels: [(channel: String, target: String)], now: Date = Date()
    ) throws(StoreError) -> [Raised] {
        let alerts = try alerts(store: store, touched: touched, now: now)
        let candidates = alerts.map { alert in
            NewAlertRow(
                kind: alert.kind.rawValue, rule: alert.identity.rule, hosts: alert.hosts, domains: alert.domains, severity: alert.severity.name,
                headline: alert.headline, firstSeen: alert.firstSeen, lastSeen: alert.lastSeen, payload: AlertRenderer.json(alert))
        }
        let raised = try store.raiseAlerts(candidates, channels: channels, window: detector.window, now: now, isCovered: Self.isCovered)
        return raised.map { Raised(alert: alerts[$0.index], id: $0.alertID, deliveries: $0.deliveries) }
    }

    /// Whether an earlier alert told this problem already: the same problem (``ProblemIdentity``), and for a
    /// jump, told as a jump (a problem told as new may still be told once when its rate jumps).
    package static func isCovered(_ candidate: NewAlertRow, by earlier: NewAlertRow) -> Bool {
        let identity = ProblemIdentity(rule: candidate.rule, hosts: candidate.hosts, domains: candidate.domains)
        return identity.isSameProblem(as: ProblemIdentity(rule: earlier.rule, hosts: earlier.hosts, domains: earlier.domains))
            && (candidate.kind == Alert.Kind.new.rawValue || earlier.kind == candidate.kind)
    }

    func window(store: any ReportStorage, _ filter: ReportFilter) throws(StoreError) -> NewProblemDetector.Window {
        let rows = try store.periodRows(filter)
        return NewProblemDetector.Window(findings: diagnoser.diagnose(DiagnosisEvidence(rows.evidence)), daily: rows.daily)
    }

    /// `tlsrpt summary --domain example.com`, with the problem's days when the default period (the last seven
    /// days) would not hold them.
    static func command(for finding: Finding, now: Date) -> String {
        var command = "tlsrpt summary"
        if let domain = finding.domains.first { command += " --domain \(domain)" }
        let defaultFrom = ReportPeriod.days(7).bounds(now: now).from!
        if finding.firstSeen < defaultFrom {
            let to = ReportPeriod.startOfDay(finding.lastSeen.addingTimeInterval(-1)).addingTimeInterval(86_400)
            command += " --from \(RFC3339Date.day(finding.firstSeen)) --to \(RFC3339Date.day(to))"
        }
        return command
    }
}
