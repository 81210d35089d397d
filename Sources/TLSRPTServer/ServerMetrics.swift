import CoreMetrics
import Foundation
import Metrics
package import Prometheus

/// The endpoint's numbers for Prometheus (`GET /metrics`).
///
/// Each server has its own registry and factory instead of bootstrapping the process-wide
/// `MetricsSystem`: the process runs one server, but tests run many, and a global bootstrap can happen
/// only once. The metrics go through swift-metrics' types, so the exposition format is swift-prometheus's.
package final class ServerMetrics: Sendable {
    package let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory

    let reportsStored: CoreMetrics.Counter
    let reportsDuplicate: CoreMetrics.Counter
    let reportsConflicting: CoreMetrics.Counter
    let rejectionsRecorded: CoreMetrics.Counter
    /// Raw copies of HTTPS rejections dropped to keep them under `--reject-copies-max`.
    let rejectionCopiesDropped: CoreMetrics.Counter
    let bodyBytes: CoreMetrics.Counter
    let decompressedBytes: CoreMetrics.Counter
    let commitReports: CoreMetrics.Recorder
    let commits: CoreMetrics.Counter
    let duration: CoreMetrics.Timer
    /// The series for the statuses the endpoint answers, made once: creating a metric per request costs
    /// a registry lookup under a lock.
    private let requestsByStatus: [Int: CoreMetrics.Counter]

    package init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(20),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
        ]
        factory.defaultValueHistogramBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]
        self.factory = factory
        reportsStored = CoreMetrics.Counter(label: "tlsrpt_reports_stored_total", factory: factory)
        reportsDuplicate = CoreMetrics.Counter(label: "tlsrpt_reports_duplicate_total", factory: factory)
        reportsConflicting = CoreMetrics.Counter(label: "tlsrpt_reports_conflicting_total", factory: factory)
        rejectionsRecorded = CoreMetrics.Counter(label: "tlsrpt_rejections_recorded_total", factory: factory)
        rejectionCopiesDropped = CoreMetrics.Counter(label: "tlsrpt_rejection_copies_dropped_total", factory: factory)
        bodyBytes = CoreMetrics.Counter(label: "tlsrpt_http_request_body_bytes_total", factory: factory)
        decompressedBytes = CoreMetrics.Counter(label: "tlsrpt_report_decompressed_bytes_total", factory: factory)
        commitReports = CoreMetrics.Recorder(label: "tlsrpt_commit_reports", aggregate: true, factory: factory)
        commits = CoreMetrics.Counter(label: "tlsrpt_commits_total", factory: factory)
        duration = CoreMetrics.Timer(label: "tlsrpt_http_request_duration_seconds", factory: factory)
        // Made up front, so a scrape before the first request already lists them.
        var byStatus: [Int: CoreMetrics.Counter] = [:]
        for status in [200, 201, 400, 404, 405, 413, 415, 422, 429, 500, 503] {
            byStatus[status] = Self.makeRequestsCounter(status: status, factory: factory)
        }
        requestsByStatus = byStatus
    }

    private static func makeRequestsCounter(status: Int, factory: PrometheusMetricsFactory) -> CoreMetrics.Counter {
        CoreMetrics.Counter(label: "tlsrpt_http_requests_total", dimensions: [("status", String(status))], factory: factory)
    }

    func requests(status: Int) -> CoreMetrics.Counter {
        // Other statuses are rare; the registry returns the same series for the same name and labels.
        requestsByStatus[status] ?? Self.makeRequestsCounter(status: status, factory: factory)
    }

    /// Records one finished request.
    func record(status: Int, bodyBytes: Int, duration: Duration) {
        requests(status: status).increment()
        if bodyBytes > 0 { self.bodyBytes.increment(by: bodyBytes) }
        self.duration.record(duration: duration)
    }

    /// Records one committed transaction.
    func recordCommit(submissions: Int, reports: Int) {
        commits.increment()
        commitReports.record(reports)
    }

    /// The Prometheus text exposition.
    package func exposition() -> [UInt8] { registry.emitToBuffer() }
}
