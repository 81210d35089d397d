package import Foundation
package import TLSRPTCore
package import TLSRPTStore

/// Decides which findings are news: the pure part of alerting (issue #16).
///
/// Given the diagnosis of the days the new reports cover (`current`) and of the window before them
/// (`previous`, 14 days by default), a finding someone has to act on raises an alert when the new reports
/// show its failures and
/// - it had no failures in the window before (no finding there is the same problem: ``ProblemIdentity``), or
/// - it had, at under `quietRate` of its domains' sessions, and now fails over `jumpRate` of them.
///
/// That a problem was already told (by an earlier commit, another process, or a report of the same day that
/// arrived first) is the store's to say, from the alerts it recorded: see `ReportStore.raiseAlerts`.
package struct NewProblemDetector: Sendable {
    /// How long a problem must have been quiet to be new again.
    package var window: TimeInterval
    /// A known problem "jumps" from under `quietRate` to over `jumpRate` of its domains' sessions.
    package var quietRate: Double
    package var jumpRate: Double

    package init(windowDays: Int = 14, quietRate: Double = 0.01, jumpRate: Double = 0.20) {
        self.window = TimeInterval(windowDays) * 86_400
        self.quietRate = quietRate
        self.jumpRate = jumpRate
    }

    /// The findings of some days, with their domains' counted sessions per day, to tell rates from.
    package struct Window: Sendable {
        package var findings: [Finding]
        /// Counted sessions per policy domain and UTC day.
        package var daily: [DailyTotals]

        package init(findings: [Finding], daily: [DailyTotals]) {
            self.findings = findings
            self.daily = daily
        }

        /// Failed sessions of `findings` over the sessions of their domains on the days since the problem began
        /// (its first report, or the window's first day): a problem that began yesterday at 25% was never at
        /// 0.2%, however many clean days the window holds before it. Nil when they name no domain or no
        /// sessions were counted for them.
        package func failureRate(of findings: [Finding]) -> Double? {
            guard let began = findings.map(\.firstSeen).min() else { return nil }
            let since = ReportPeriod.startOfDay(began)
            let domains = Set(findings.flatMap(\.domains))
            let total = daily.filter { $0.day >= since && $0.domain.map(domains.contains) == true }
                .map { CountSum.add($0.successful, $0.failed) }.countSum()
            guard total > 0 else { return nil }
            return min(1, Double(findings.map(\.failedSessions).countSum()) / Double(total))
        }
    }

    /// The alerts the new reports raise, most important first. `command` gives the alert's "full picture" line.
    ///
    /// `resolvedSince` gives, for a problem a "resolved" notice told, the first of its quiet days: failures
    /// before it do not make the problem known (it is back: told again), and new reports of failures before it
    /// are old news (told nothing).
    package func detect(
        current: Window, previous: Window, touched: CommittedFailures, resolvedSince: (ProblemIdentity) -> Date? = { _ in nil },
        command: (Finding) -> String
    ) -> [Alert] {
        var alerts: [Alert] = []
        for finding in current.findings.sorted(by: Finding.isMoreImportant) where finding.needsAction && touched.touch(finding) {
            let identity = ProblemIdentity(finding)
            let quietSince = resolvedSince(identity)
            if let quietSince, finding.lastSeen < quietSince { continue }
            let before = previous.findings.filter { prior in
                ProblemIdentity(prior).isSameProblem(as: identity) && !(quietSince.map { prior.lastSeen < $0 } ?? false)
            }
            if before.isEmpty {
                alerts.append(Alert(kind: .new, finding: finding, command: command(finding)))
                continue
            }
            guard let rateNow = current.failureRate(of: [finding]), rateNow > jumpRate else { continue }
            let rateBefore = previous.failureRate(of: before) ?? 0
            if rateBefore < quietRate {
                alerts.append(Alert(kind: .jump, finding: finding, rateBefore: rateBefore, rateNow: rateNow, command: command(finding)))
            }
        }
        return alerts
    }
}
