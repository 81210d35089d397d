import Foundation
package import Logging
import NIOConcurrencyHelpers
package import TLSRPTAnalysis
package import TLSRPTStore

/// Issue #16's early warning, at the edge: after each commit, looks at what the new reports add, raises an
/// alert for each new problem (``NewProblemScan``, recorded once in the store), and delivers it on every
/// channel, retried, bounded in time, and recorded.
///
/// Never in the way of storing: ``observer`` only hands the commit's failures to a worker task and returns;
/// checks run one at a time (what commits in the meantime is checked together next), deliveries each in a
/// task of their own, so a channel that hangs holds up neither the next commit nor the next alert. A failure
/// here is logged, never thrown: the reports are stored either way.
package final class AlertMonitor: Sendable {
    /// How deliveries behave.
    package struct Delivery: Sendable {
        /// Seconds one attempt may take (the command is killed, the connection closed, after it).
        package var timeout: Double
        /// Attempts per channel and alert.
        package var attempts: Int
        /// Seconds before the second attempt; doubled before each further one.
        package var retryDelay: Double

        package init(timeout: Double = 10, attempts: Int = 3, retryDelay: Double = 1) {
            self.timeout = timeout
            self.attempts = max(1, attempts)
            self.retryDelay = retryDelay
        }
    }

    let store: any ReportStorage
    let channels: [any AlertChannel]
    let scan: NewProblemScan
    /// Nil: no "resolved" notices.
    let resolution: ResolutionCheck?
    let delivery: Delivery
    /// Run before a new problem's alert is delivered (`--probe-on-alert`: a live probe of its domain), its
    /// lines added to the alert; nil for none.
    let confirmation: Confirmation?
    let logger: Logger
    private let state = NIOLockedValueBox(State())

    private struct State {
        var pending = CommittedFailures()
        var worker: Task<Void, Never>?
        var deliveries: [Int64: Task<Void, Never>] = [:]
    }

    /// What confirms an alert's cause before it is sent: the alert in, lines to add out. It must bound its own
    /// time (the probe's steps each have a deadline): the alert waits for it.
    package typealias Confirmation = @Sendable (Alert) async -> [String]

    package init(
        store: any ReportStorage, channels: [any AlertChannel], scan: NewProblemScan, resolution: ResolutionCheck? = ResolutionCheck(),
        delivery: Delivery = Delivery(), confirmation: Confirmation? = nil, logger: Logger
    ) {
        self.store = store
        self.channels = channels
        self.scan = scan
        self.resolution = resolution
        self.delivery = delivery
        self.confirmation = confirmation
        self.logger = logger
    }

    /// What the ingester and the server call after each commit.
    package var observer: CommitObserver {
        { [self] reports, outcomes in committed(CommittedFailures(reports: reports, outcomes: outcomes)) }
    }

    /// Queues what a commit added for the next check and returns at once.
    package func committed(_ touched: CommittedFailures) {
        guard !touched.storedNothing else { return }
        state.withLockedValue { state in
            state.pending.merge(touched)
            if state.worker == nil { state.worker = Task { await self.work() } }
        }
    }

    /// Waits until every queued check has run and every delivery has ended (delivered, or given up after its
    /// attempts): what a one-shot `ingest` does before it exits.
    package func finish() async {
        while true {
            let tasks = state.withLockedValue { state in (state.worker.map { [$0] } ?? []) + Array(state.deliveries.values) }
            if tasks.isEmpty { return }
            for task in tasks { await task.value }
        }
    }

    /// ``finish()``, but returns after `seconds` at the latest: a `watch` or `serve` told to stop must stop
    /// within systemd's stop timeout. A delivery cut short stays recorded as not finished.
    package func finish(within seconds: Double) async {
        let once = NIOLockedValueBox(false)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resume: @Sendable () -> Void = {
                let first = once.withLockedValue { done in
                    defer { done = true }
                    return !done
                }
                if first { continuation.resume() }
            }
            Task {
                await self.finish()
                resume()
            }
            Task {
                try? await Task.sleep(for: .seconds(seconds))
                resume()
            }
        }
    }

    private func work() async {
        while true {
            let touched: CommittedFailures? = state.withLockedValue { state in
                guard !state.pending.storedNothing else {
                    state.worker = nil
                    return nil
                }
                defer { state.pending = CommittedFailures() }
                return state.pending
            }
            guard let touched else { return }
            check(touched)
        }
    }

    /// Finds the new problems, records them (skipping what an earlier alert told), finds the open ones the new
    /// reports show resolved, and starts the deliveries.
    func check(_ touched: CommittedFailures) {
        var notices: [(alert: Alert, id: Int64, deliveries: [PendingDelivery])] = []
        let channelList = channels.map { ($0.name, $0.target) }
        do throws(StoreError) {
            for entry in try scan.raise(store: store, touched: touched, channels: channelList) {
                notices.append((entry.alert, entry.id, entry.deliveries))
            }
            if let resolution, let lastDay = touched.reportedDays.max() {
                let open = try store.openAlerts().filter { !Set($0.alert.domains).isDisjoint(with: touched.domains) }
                for (row, notice) in try resolution.resolved(store: store, open: open, lastDay: lastDay) {
                    let record = NewAlertRow(
                        kind: notice.kind.rawValue, rule: notice.identity.rule, hosts: notice.hosts, domains: notice.domains,
                        severity: notice.severity.name, headline: notice.headline, firstSeen: notice.firstSeen, lastSeen: notice.lastSeen,
                        payload: AlertRenderer.json(notice))
                    if let (id, deliveries) = try store.resolveAlert(row.id, notice: record, channels: channelList, now: Date()) {
                        notices.append((notice, id, deliveries))
                    }
                }
            }
        } catch {
            logger.error("alert check failed (the reports are stored): \(error.message)")
        }
        for entry in notices {
            let alert = entry.alert
            logger.notice("alert \(entry.id) raised: \(AlertRenderer.subject(alert))")
            if let confirmation, alert.kind != .resolved {
                // One task confirms, then delivers on every channel; keyed apart from the deliveries' ids.
                let key = -entry.id
                let deliveries = Array(zip(channels, entry.deliveries))
                state.withLockedValue { state in
                    state.deliveries[key] = Task {
                        var probed = alert
                        probed.probe = await confirmation(alert)
                        let confirmed = probed
                        self.logger.info("alert \(entry.id) confirmation: \(confirmed.probe.first ?? "nothing")")
                        let json = AlertRenderer.json(confirmed)
                        await withTaskGroup(of: Void.self) { group in
                            for (channel, pending) in deliveries {
                                group.addTask { await self.deliver(confirmed, json: json, on: channel, recordedAs: pending) }
                            }
                        }
                        self.state.withLockedValue { $0.deliveries[key] = nil }
                    }
                }
                continue
            }
            let json = AlertRenderer.json(alert)
            for (channel, pending) in zip(channels, entry.deliveries) {
                state.withLockedValue { state in
                    state.deliveries[pending.id] = Task {
                        await self.deliver(alert, json: json, on: channel, recordedAs: pending)
                        self.state.withLockedValue { $0.deliveries[pending.id] = nil }
                    }
                }
            }
        }
    }

    /// Delivers on one channel with retries, then records the outcome.
    func deliver(_ alert: Alert, json: String, on channel: any AlertChannel, recordedAs pending: PendingDelivery) async {
        var lastError: String?
        var attempt = 0
        var delivered = false
        while attempt < delivery.attempts && !delivered {
            attempt += 1
            do throws(AlertDeliveryError) {
                try await channel.deliver(alert, json: json, timeout: delivery.timeout)
                delivered = true
                logger.info("alert \(pending.alertID) delivered by \(channel.name) \(channel.target) (attempt \(attempt))")
            } catch {
                lastError = error.message
                logger.warning(
                    "alert \(pending.alertID): \(channel.name) \(channel.target), attempt \(attempt) of \(delivery.attempts): \(error.message)")
                if attempt < delivery.attempts {
                    try? await Task.sleep(for: .seconds(delivery.retryDelay * Double(1 << (attempt - 1))))
                }
            }
        }
        do throws(StoreError) {
            try store.recordDelivery(pending, delivered: delivered, attempts: attempt, error: delivered ? nil : lastError)
        } catch {
            logger.error("alert \(pending.alertID): cannot record the \(channel.name) outcome: \(error.message)")
        }
    }
}
