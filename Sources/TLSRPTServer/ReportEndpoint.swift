import Hummingbird
import Logging
import TLSRPTCore
import TLSRPTIngest
import TLSRPTStore

/// The routes of `tlsrpt serve` and the handler for `POST {path}` (RFC 8460 §3, `rua=https://`).
///
/// The handler adds only HTTP to the pipeline every other source uses: the bytes go through
/// `InputProcessor` (extract, decode, normalise) and into `ReportStore.commit` (via the group committer),
/// exactly as `tlsrpt ingest` sends them. A 2xx leaves only after the commit.
public struct ReportEndpoint: Sendable {
    public let configuration: EndpointConfiguration
    public let processor: InputProcessor
    public let committer: GroupCommitter
    public let metrics: ServerMetrics
    let allowlist: PolicyDomainAllowlist
    let logger: Logger

    public init(configuration: EndpointConfiguration, committer: GroupCommitter, metrics: ServerMetrics, logger: Logger) {
        self.configuration = configuration
        self.processor = InputProcessor(extractor: .init(limits: configuration.extractionLimits))
        self.committer = committer
        self.metrics = metrics
        self.allowlist = PolicyDomainAllowlist(configuration.domains)
        self.logger = logger
    }

    /// `POST {path}`, `GET /healthz`, `GET /metrics`; 405 for other methods on those paths, 404 elsewhere.
    public func router() -> Router<ReportRequestContext> {
        let router = Router(context: ReportRequestContext.self)
        // Middleware first: Hummingbird wraps each route with the middleware added before it.
        router.add(middleware: RequestObserver(metrics: metrics))
        router.add(middleware: MethodPolicy(routes: [configuration.path: .post, "/healthz": .get, "/metrics": .get]))
        router.post(RouterPath(configuration.path)) { request, context in
            try await receive(request, context: context)
        }
        router.get("/healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
        }
        return router
    }

    /// Receives one report: 201 stored, 200 duplicate, or an `EndpointError`.
    func receive(_ request: Request, context: ReportRequestContext) async throws -> Response {
        let client = ClientAddress.of(headers: request.headers, peer: context.remoteAddress, trustProxy: configuration.trustProxy)
        context.note.client = client
        try ContentTypePolicy.check(request.headers)
        let body = try await BoundedBody.collect(request, limit: configuration.maxBody)
        context.note.bodyBytes = body.count
        guard !body.isEmpty else { throw EndpointError(.malformed, "the body is empty; POST the report itself") }

        let provenance = Provenance(
            channel: .https, name: request.uri.path, clientAddress: client, userAgent: request.headers[.userAgent])
        // Handlers run on Swift's cooperative pool, not on the NIO event loop, so decoding here does not
        // hold up other connections' I/O.
        let result = processor.process(body, provenance: provenance)
        if result.payloadBytes > 0 { metrics.decompressedBytes.increment(by: result.payloadBytes) }
        if result.exceededLimit {
            throw EndpointError(.tooLarge, result.problems.joined(separator: "; "))
        }
        guard !result.reports.isEmpty else {
            let reason = result.problems.isEmpty ? "no report in the body" : result.problems.joined(separator: "; ")
            // Kept with its bytes so a person can see what the sender got wrong (`tlsrpt rejects`).
            let rejection = IncomingRejection(
                provenance: provenance, reason: reason, keptAt: "the database (tlsrpt rejects shows it)", raw: body,
                inputHash: ContentHash.sha256(body))
            _ = try await commit(.init(rejections: [rejection]))
            metrics.rejectionsRecorded.increment()
            throw EndpointError(.malformed, reason)
        }
        for incoming in result.reports {
            if case .some(let refused) = allowlist.firstRefused(in: incoming.decoded.report) {
                throw EndpointError(
                    .domainNotAccepted,
                    refused.map { "this endpoint does not collect reports for the policy domain \($0)" }
                        ?? "a policy has no policy-domain, and this endpoint collects reports only for named domains")
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

    private func commit(_ submission: GroupCommitter.Submission) async throws(EndpointError) -> [InsertOutcome] {
        do {
            return try await committer.commit(submission)
        } catch {
            logger.error("cannot store: \(error.message)")
            throw EndpointError(.storeUnavailable, "the report could not be stored just now; try again later")
        }
    }
}
