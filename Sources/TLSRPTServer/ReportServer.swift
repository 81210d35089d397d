import CoreMetrics
package import Hummingbird
import HummingbirdCore
package import Logging
import NIOCore
import ServiceLifecycle
package import TLSRPTStore
import UnixSignals

/// `tlsrpt serve` assembled: TLS (or plain HTTP), timeouts, connection limit, the endpoint's routes, the
/// group committer, and shutdown on SIGTERM/SIGINT that lets requests in flight finish.
package struct ReportServer: Sendable {
    package let configuration: EndpointConfiguration
    package let endpoint: ReportEndpoint
    package let metrics: ServerMetrics
    let certificates: CertificateReloader?
    let logger: Logger

    /// `afterCommit` is told what each transaction stored (alerting).
    package init(
        configuration: EndpointConfiguration, store: any ReportStorage, logger: Logger, afterCommit: CommitObserver? = nil
    ) throws(EndpointSetupError) {
        self.configuration = configuration
        self.logger = logger
        let metrics = ServerMetrics()
        self.metrics = metrics
        let copyCap: RejectionCopyCap
        do {
            copyCap = try RejectionCopyCap(store: store, maxBytes: configuration.rejectCopiesMaxBytes, logger: logger) { dropped in
                metrics.rejectionCopiesDropped.increment(by: dropped)
            }
        } catch {
            throw EndpointSetupError(.database, "cannot read the rejections in the database: \(error.message)")
        }
        let committer = GroupCommitter(
            store: store, maxReportsPerCommit: configuration.maxReportsPerCommit,
            onCommit: { submissions, reports in metrics.recordCommit(submissions: submissions, reports: reports) },
            afterRejections: { copyCap.enforce() }, afterCommit: afterCommit)
        self.endpoint = ReportEndpoint(configuration: configuration, committer: committer, metrics: metrics, logger: logger)
        self.certificates = try configuration.tls.map { files throws(EndpointSetupError) in try CertificateReloader(files: files) }
    }

    /// The Hummingbird application. `onListening` receives the bound port (useful with port 0), and
    /// `onMetricsListening` the port of the `--metrics-listen` listener when there is one.
    package func application(
        onListening: @escaping @Sendable (_ port: Int) async -> Void = { _ in },
        onMetricsListening: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let http1 = http1Configuration()
        let certificates = self.certificates
        let server = HTTPServerBuilder { responder in
            let channel = HTTP1Channel(responder: responder, configuration: http1)
            if let certificates { return ReloadableTLSChannel(base: channel, certificates: certificates) }
            return channel
        }
        var services: [any Service] = []
        if let certificates { services.append(certificates.reloadOnHangup(logger: logger)) }
        if let metricsListen = configuration.metricsListen {
            services.append(metricsApplication(at: metricsListen, onListening: onMetricsListening))
        }
        return Application(
            router: endpoint.router(),
            server: server,
            configuration: .init(
                address: .hostname(configuration.listen.host, port: configuration.listen.port),
                availableConnectionsDelegate: MaximumAvailableConnections(configuration.maxConnections, logger: logger)),
            services: services,
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    /// HTTP/1 with the header and body deadlines and the idle timeout: every listener, public or metrics.
    func http1Configuration() -> HTTP1Channel.Configuration {
        HTTP1Channel.Configuration(
            additionalChannelHandlers: [
                RequestDeadlineHandler(
                    headerTimeout: TimeAmount(configuration.headerTimeout), bodyTimeout: TimeAmount(configuration.bodyTimeout))
            ],
            idleTimeout: TimeAmount(configuration.idleTimeout))
    }

    /// `--metrics-listen`: a plain-HTTP listener of its own that serves `GET /metrics` only, so metrics can
    /// sit on loopback (or a management network) while the public listener does not show them.
    func metricsApplication(
        at address: ListenAddress, onListening: @escaping @Sendable (_ port: Int) async -> Void
    ) -> some ApplicationProtocol {
        return Application(
            router: endpoint.metricsRouter(),
            server: .http1(configuration: http1Configuration()),
            configuration: .init(
                address: .hostname(address.host, port: address.port), serverName: nil,
                availableConnectionsDelegate: MaximumAvailableConnections(16, logger: logger)),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    /// Runs until SIGTERM or SIGINT, then stops accepting and returns once requests in flight are answered.
    package func run(
        onListening: @escaping @Sendable (_ port: Int) async -> Void = { _ in },
        onMetricsListening: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
    ) async throws {
        let group = ServiceGroup(
            configuration: .init(
                services: [application(onListening: onListening, onMetricsListening: onMetricsListening)],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
