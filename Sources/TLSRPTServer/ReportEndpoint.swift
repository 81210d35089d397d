package import Hummingbird
package import Logging
import TLSRPTCore
package import TLSRPTProcessing
import TLSRPTStore
import TLSRPTExtract
import CoreMetrics

/// The routes of `tlsrpt serve` and the handler for `POST {path}` (RFC 8460 §3, `rua=https://`).
///
/// The handler adds only HTTP to the pipeline every other source uses: the bytes go through
/// `InputProcessor` (extract, decode, normalise) and into `ReportStore.commit` (via the group committer),
/// exactly as `tlsrpt ingest` sends them. A 2xx leaves only after the commit.
package struct ReportEndpoint: Sendable {
    package let configuration: EndpointConfiguration
    package let processor: InputProcessor
    package let committer: GroupCommitter
    package let metrics: ServerMetrics
    let allowlist: PolicyDomainAllowlist
    let admission: ClientAdmission
    let decoding: DecodeQueue
    let logger: Logger

    package init(configuration: EndpointConfiguration, committer: GroupCommitter, metrics: ServerMetrics, logger: Logger) {
        self.configuration = configuration
        self.processor = InputProcessor(extractor: .init(limits: configuration.extractionLimits))
        self.committer = committer
        self.metrics = metrics
        self.allowlist = PolicyDomainAllowlist(configuration.domains)
        self.admission = ClientAdmission(limitPerClient: configuration.maxRequestsPerClient)
        self.decoding = DecodeQueue(workers: configuration.decodeWorkers, maxWaiting: configuration.maxQueuedDecodes)
        self.logger = logger
    }

    /// `POST {path}`, `GET /healthz`, and `GET /metrics` unless `publicMetrics` is off; 405 for other
    /// methods on those paths, 404 elsewhere.
    package func router() -> Router<ReportRequestContext> {
        let router = Router(context: ReportRequestContext.self)
        // Middleware first: Hummingbird wraps each route with the middleware added before it.
        router.add(middleware: RequestObserver(metrics: metrics))
        var routes: [String: HTTPRequest.Method] = ["/healthz": .get]
        if configuration.publicMetrics { routes["/metrics"] = .get }
        if configuration.pathIsPrefix {
            // `/tlsrpt/` serves `/tlsrpt` and every path below it.
            let base = String(configuration.path.dropLast())
            routes[base.isEmpty ? "/" : base] = .post
            router.add(middleware: MethodPolicy(routes: routes, prefix: (configuration.path, .post)))
            router.post(RouterPath(base.isEmpty ? "/" : base)) { request, context in try await receive(request, context: context) }
            router.post(RouterPath(base + "/**")) { request, context in
                guard request.uri.path.utf8.count - configuration.path.utf8.count <= EndpointConfiguration.maxPathBelowPrefix else {
                    throw HTTPError(.uriTooLong, message: "the path below \(configuration.path) is longer than \(EndpointConfiguration.maxPathBelowPrefix) bytes")
                }
                return try await receive(request, context: context)
            }
        } else {
            routes[configuration.path] = .post
            router.add(middleware: MethodPolicy(routes: routes))
            router.post(RouterPath(configuration.path)) { request, context in
                try await receive(request, context: context)
            }
        }
        router.get("/healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        if configuration.publicMetrics { Self.addMetricsRoute(to: router, metrics: metrics) }
        return router
    }

    /// The routes of the `--metrics-listen` listener: `GET /metrics` only.
    package func metricsRouter() -> Router<ReportRequestContext> {
        let router = Router(context: ReportRequestContext.self)
        router.add(middleware: MethodPolicy(routes: ["/metrics": .get]))
        Self.addMetricsRoute(to: router, metrics: metrics)
        return router
    }

    static func addMetricsRoute(to router: Router<ReportRequestContext>, metrics: ServerMetrics) {
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
        }
    }

    /// Receives one report: 201 stored, 200 duplicate, or an `EndpointError`.
    func receive(_ request: Request, context: ReportRequestContext) async throws -> Response {
        let client = ClientAddress.of(headers: request.headers, peer: context.remoteAddress, trustProxy: configuration.trustProxy)
        context.note.client = client
        try ContentTypePolicy.check(request.headers)
        let ticket = try admission.admit(client)
        defer { ticket.release() }
        let body = try await BoundedBody.collect(request, limit: configuration.maxBody)
        context.note.bodyBytes = body.count
        guard !body.isEmpty else { throw EndpointError(.malformed, "the body is empty; POST the report itself") }

        let provenance = Provenance(
            channel: .https, name: request.uri.path, clientAddress: client, userAgent: request.headers[.userAgent])
        // Inflating and decoding take CPU and memory in proportion to the report: on a decode worker, a
        // bounded number at a time, not on the cooperative pool that answers everything else.
        let processor = self.processor
        let previewBytes = configuration.rejectPreviewBytes
        let (result, rejected) = try await decoding.run { () -> (InputProcessor.Result, IncomingRejection?) in
            let result = processor.process(body, provenance: provenance)
            guard !result.exceededLimit, result.reports.isEmpty else { return (result, nil) }
            return (result, Self.rejection(of: body, provenance: provenance, problems: result.problems, previewBytes: previewBytes))
        }
        if result.payloadBytes > 0 { metrics.decompressedBytes.increment(by: result.payloadBytes) }
        if result.exceededLimit {
            throw EndpointError(.tooLarge, result.problems.joined(separator: "; "))
        }
        if let rejected {
            _ = try await commit(.init(rejections: [rejected]))
            metrics.rejectionsRecorded.increment()
            throw EndpointError(.malformed, rejected.reason)
        }
        let pathDomain = configuration.pathDomain(request.uri.path)
        for incoming in result.reports {
            if let refusal = allowlist.refusal(of: incoming.decoded.report) {
                throw EndpointError(.domainNotAccepted, refusal.message)
            }
            if let pathDomain, let refusal = PolicyDomainAllowlist.refusal(of: incoming.decoded.report, pathDomain: pathDomain) {
                throw EndpointError(.domainNotAccepted, refusal.message)
            }
        }
        let outcomes = try await commit(.init(reports: result.reports))

        var stored = 0
        var ids: [Int64] = []
        var refused: [String] = []
        for outcome in outcomes {
            switch outcome {
            case .stored(let id, let conflict):
                stored += 1
                ids.append(id)
                metrics.reportsStored.increment()
                if conflict { metrics.reportsConflicting.increment() }
            case .duplicate(let id):
                ids.append(id)
                metrics.reportsDuplicate.increment()
            case .rejected(let reason):
                // The store has recorded it as a rejection (`tlsrpt rejects`).
                refused.append(reason)
                metrics.rejectionsRecorded.increment()
            }
        }
        if ids.isEmpty, let reason = refused.first {
            throw EndpointError(.malformed, reason)
        }
        let report = result.reports[0].decoded.report
        context.note.detail = "\(report.organizationName) \(report.reportID) id=\(ids.map(String.init).joined(separator: ","))"
        let word = stored > 0 ? "stored" : "duplicate"
        return Response(
            status: stored > 0 ? .created : .ok, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: "\(word)\n")))
    }

    /// Requests from `client` in flight now (admitted and not yet answered).
    package func inFlight(from client: String) -> Int { admission.inFlight(for: client) }

    /// Bodies being decoded or waiting for a decode worker now.
    package var decodesInFlight: Int { decoding.inFlight }

    /// A body that yielded no report, as it is kept: the reason, and the body's first `previewBytes` (its
    /// hash is of the whole body, so the same body sent again is recognised).
    static func rejection(of body: [UInt8], provenance: Provenance, problems: [String], previewBytes: Int) -> IncomingRejection {
        let reason = problems.isEmpty ? "no report in the body" : problems.joined(separator: "; ")
        let preview = body.count > previewBytes ? Array(body.prefix(previewBytes)) : body
        let keptAt =
            preview.count < body.count
            ? "the database, its first \(preview.count) of \(body.count) bytes (tlsrpt rejects shows it)"
            : "the database (tlsrpt rejects shows it)"
        return IncomingRejection(
            provenance: provenance, reason: reason, keptAt: keptAt, raw: preview, inputHash: ContentHash.sha256(body))
    }

    private func commit(_ submission: GroupCommitter.Submission) async throws(EndpointError) -> [InsertOutcome] {
        do {
            return try await committer.commit(submission)
        } catch {
            logger.error("cannot store: \(UntrustedText.sanitised(error.message, limit: 500))")
            throw EndpointError(.storeUnavailable, "the report could not be stored just now; try again later")
        }
    }
}
