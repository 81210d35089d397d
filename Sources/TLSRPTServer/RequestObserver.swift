import Foundation
import Hummingbird
import Logging
import TLSRPTCore

/// The outermost middleware: turns every refusal into its response (`EndpointError` knows its status),
/// then counts the request and writes its one log line (status, bytes, report or reason, duration).
///
/// Every value in that line that a client chose (the path, the address from `X-Forwarded-For`, the
/// organisation and report-id, a reason quoting the report) passes through `UntrustedText.sanitised`, so
/// CR, LF or ESC in a report cannot forge journal lines or drive a terminal, and is clipped to a length.
struct RequestObserver: RouterMiddleware {
    typealias Context = ReportRequestContext

    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as EndpointError {
            context.note.detail = error.message
            response = try error.response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        } catch {
            context.note.detail = "internal error: \(error)"
            response = Response(status: .internalServerError)
        }
        let duration = start.duration(to: .now)
        let status = response.status.code
        metrics.record(status: status, bodyBytes: context.note.bodyBytes, duration: duration)
        var metadata: Logger.Metadata = [
            "method": .string(Self.clean(request.method.rawValue, limit: 16)),
            "path": .string(Self.clean(request.uri.path, limit: 200)),
            "status": .stringConvertible(status),
            "bytes": .stringConvertible(context.note.bodyBytes),
            "duration_ms": .string(String(format: "%.2f", Self.milliseconds(duration))),
        ]
        if let client = context.note.client { metadata["client"] = .string(Self.clean(client, limit: 100)) }
        if let detail = context.note.detail { metadata[status < 300 ? "report" : "reason"] = .string(Self.clean(detail, limit: 400)) }
        context.logger.info("request", metadata: metadata)
        return response
    }

    /// `text` safe for one log line: controls replaced, at most `limit` characters.
    static func clean(_ text: String, limit: Int) -> String { UntrustedText.sanitised(text, limit: limit) }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1e3 + Double(duration.components.attoseconds) / 1e15
    }
}

/// 405 (with `Allow`) for a known path asked with another method; Hummingbird's router would say 404.
struct MethodPolicy: RouterMiddleware {
    typealias Context = ReportRequestContext

    /// Path -> the one method it serves.
    let routes: [String: HTTPRequest.Method]
    /// A path prefix whose every path serves one method (`serve --path /tlsrpt/`).
    var prefix: (path: String, method: HTTPRequest.Method)? = nil

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        let allowed = routes[path] ?? prefix.flatMap { path.hasPrefix($0.path) ? $0.method : nil }
        if let allowed, request.method != allowed {
            throw HTTPError(.methodNotAllowed, headers: [.allow: allowed.rawValue], message: "use \(allowed.rawValue)")
        }
        return try await next(request, context)
    }
}
