import Foundation
import Logging
import NIOConcurrencyHelpers
import TLSRPTAnalysis
import TLSRPTCore
import TLSRPTProcessing
import TLSRPTStore
import TLSRPTTestSupport
import Testing

@testable import TLSRPTAlert

/// The monitor between the commit and the channels: it returns at once, delivers, retries, and records.
struct AlertMonitorTests {
    let dir = TemporaryDirectory()

    /// The seed's failing Microsoft report of 2026-11-22, committed; returns what the observer is given.
    func commitMicrosoft(_ store: ReportStore) throws -> (reports: [IncomingReport], outcomes: [InsertOutcome]) {
        let bytes = try Fixtures.sampleBytes("microsoft-2026-11-22-example.com.eml")
        let result = InputProcessor().process(bytes, provenance: Provenance(channel: .file, name: "microsoft.eml"))
        var batch = StoreBatch()
        batch.reports = result.reports
        return (result.reports, try store.commit(batch))
    }

    func monitor(
        _ store: ReportStore, _ channels: [any AlertChannel], timeout: Double = 5, attempts: Int = 1,
        confirmation: AlertMonitor.Confirmation? = nil
    ) -> AlertMonitor {
        AlertMonitor(
            store: store, channels: channels, scan: NewProblemScan(), delivery: .init(timeout: timeout, attempts: attempts, retryDelay: 0.1),
            confirmation: confirmation, logger: Logger(label: "test"))
    }

    @Test func aCommandReceivesTheAlertAndTheOutcomeIsRecorded() async throws {
        let store = try ReportStore(path: dir.file("db.sqlite"))
        let out = dir.file("alert.json")
        let monitor = monitor(store, [CommandChannel(command: "cat > '\(out)'; echo \"$TLSRPT_ALERT_HOST $TLSRPT_ALERT_DOMAINS\" > '\(out).env'")])
        let (reports, outcomes) = try commitMicrosoft(store)
        monitor.observer(reports, outcomes)
        await monitor.finish()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        #expect(object["domains"] as? [String] == ["example.com"])
        #expect(object["host"] as? String == "mail.hoster-cdn.net")
        #expect(try String(contentsOfFile: out + ".env", encoding: .utf8) == "mail.hoster-cdn.net example.com\n")
        let alerts = try store.alerts()
        #expect(alerts.count == 1)
        #expect(alerts.first?.deliveries.map(\.delivered) == [true])
        #expect(alerts.first?.deliveries.map(\.attempts) == [1])
    }

    @Test func aConfirmationRunsOnceBeforeEveryChannelAndItsLinesAreSent() async throws {
        let store = try ReportStore(path: dir.file("db.sqlite"))
        let out = dir.file("alert")
        let asked = NIOLockedCounter()
        let monitor = monitor(
            store,
            [
                CommandChannel(command: "cat > '\(out).1.json'; echo \"$TLSRPT_ALERT_PROBE\" > '\(out).env'"),
                CommandChannel(command: "cat > '\(out).2.json'"),
            ],
            confirmation: { alert in
                asked.increment()
                return ["Probe of \(alert.domains[0]): cause confirmed (\(alert.hosts[0]))"]
            })
        let (reports, outcomes) = try commitMicrosoft(store)
        monitor.observer(reports, outcomes)
        await monitor.finish()
        #expect(asked.value == 1, "one probe for two channels")
        for file in ["\(out).1.json", "\(out).2.json"] {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any])
            #expect(object["probe"] as? [String] == ["Probe of example.com: cause confirmed (mail.hoster-cdn.net)"])
            #expect((object["text"] as? String)?.contains("\nProbe of example.com: cause confirmed (mail.hoster-cdn.net)\n") == true)
        }
        #expect(try String(contentsOfFile: out + ".env", encoding: .utf8) == "Probe of example.com: cause confirmed (mail.hoster-cdn.net)\n")
        #expect(try store.alerts().first?.deliveries.map(\.delivered) == [true, true])
    }

    @Test func aHangingChannelDoesNotHoldTheCommitAndIsRecordedAsFailed() async throws {
        let store = try ReportStore(path: dir.file("db.sqlite"))
        let monitor = monitor(store, [CommandChannel(command: "sleep 60")], timeout: 0.5, attempts: 2)
        let (reports, outcomes) = try commitMicrosoft(store)
        let started = ContinuousClock.now
        monitor.observer(reports, outcomes)
        let handOver = ContinuousClock.now - started
        #expect(handOver < .milliseconds(50), "the observer took \(handOver)")
        await monitor.finish()
        let delivery = try #require(try store.alerts().first?.deliveries.first)
        #expect(delivery.delivered == false)
        #expect(delivery.attempts == 2)
        #expect(delivery.error?.contains("did not finish within") == true)
        #expect(delivery.finishedAt != nil)
    }

    @Test func aFailingChannelIsRetriedAndRecordedWhileTheOthersDeliver() async throws {
        let store = try ReportStore(path: dir.file("db.sqlite"))
        let attempts = dir.file("attempts")
        let monitor = monitor(
            store, [CommandChannel(command: "echo x >> '\(attempts)'; exit 4"), CommandChannel(command: "cat > /dev/null")], attempts: 3)
        let (reports, outcomes) = try commitMicrosoft(store)
        monitor.observer(reports, outcomes)
        await monitor.finish()
        #expect(try String(contentsOfFile: attempts, encoding: .utf8) == "x\nx\nx\n")
        let deliveries = try #require(try store.alerts().first?.deliveries)
        #expect(deliveries.map(\.delivered) == [false, true])
        #expect(deliveries.map(\.attempts) == [3, 1])
        #expect(deliveries.first?.error == "the alert command exited with status 4")
    }

    @Test func aResolvedNoticeFollowsTwoCleanDays() async throws {
        let store = try ReportStore(path: dir.file("db.sqlite"))
        let out = dir.file("kinds")
        let monitor = monitor(store, [CommandChannel(command: "echo \"$TLSRPT_ALERT_KIND $TLSRPT_ALERT_HOST\" >> '\(out)'")])
        let (reports, outcomes) = try commitMicrosoft(store)
        monitor.observer(reports, outcomes)
        for day in 23...24 {
            let json = reportJSON(
                organization: #""Microsoft Corporation""#, reportID: "\"ms-\(day)\"", start: "2026-11-\(day)T00:00:00Z",
                end: "2026-11-\(day)T23:59:59Z",
                policies:
                    #"[{"policy":{"policy-type":"sts","policy-domain":"example.com"},"summary":{"total-successful-session-count":150,"total-failure-session-count":0}}]"#
            )
            let result = InputProcessor().process(json, provenance: Provenance(channel: .file, name: "ms-\(day).json"))
            var batch = StoreBatch()
            batch.reports = result.reports
            monitor.observer(result.reports, try store.commit(batch))
            await monitor.finish()
        }
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "new mail.hoster-cdn.net\nresolved mail.hoster-cdn.net\n")
        #expect(try store.alerts().map(\.alert.kind) == ["resolved", "new"])
        #expect(try store.openAlerts().isEmpty)
    }

    @Test func aDuplicateRaisesNothing() async throws {
        let store = try ReportStore(path: dir.file("db.sqlite"))
        let out = dir.file("count")
        let monitor = monitor(store, [CommandChannel(command: "echo x >> '\(out)'")])
        let first = try commitMicrosoft(store)
        monitor.observer(first.reports, first.outcomes)
        let again = try commitMicrosoft(store)
        #expect(again.outcomes.allSatisfy { if case .duplicate = $0 { true } else { false } })
        monitor.observer(again.reports, again.outcomes)
        await monitor.finish()
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "x\n")
    }
}

/// Counts calls from concurrent tasks.
final class NIOLockedCounter: Sendable {
    private let box = NIOLockedValueBox(0)
    func increment() { box.withLockedValue { $0 += 1 } }
    var value: Int { box.withLockedValue { $0 } }
}
