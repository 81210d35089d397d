import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One HTTP/1.1 POST over the NIO stack the server already uses (no HTTP client library added for one request
/// per alert): connect, TLS for `https` with the system's trust store and host-name check, send, read the
/// status, close. The whole exchange (connection included) is bounded by the timeout.
struct HTTPPost: Sendable {
    var url: URL
    var contentType: String

    /// The scheme, host, port and path-and-query of `url`, or why it cannot be posted to.
    struct Target: Sendable, Equatable {
        var tls: Bool
        var host: String
        var port: Int
        var pathAndQuery: String
        var hostHeader: String
    }

    static func target(_ url: URL) -> Target? {
        guard let components = URLComponents(url: url, resolvingAgainstBaseURL: false), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", var host = components.host, !host.isEmpty
        else { return nil }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let tls = scheme == "https"
        let port = components.port ?? (tls ? 443 : 80)
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        let query = components.percentEncodedQuery.map { "?\($0)" } ?? ""
        let hostText = host.contains(":") ? "[\(host)]" : host
        let defaultPort = (tls && port == 443) || (!tls && port == 80)
        return Target(tls: tls, host: host, port: port, pathAndQuery: path + query, hostHeader: defaultPort ? hostText : "\(hostText):\(port)")
    }

    /// Posts `body` and returns the response's status code.
    func send(_ body: [UInt8], timeout: Double) async throws(AlertDeliveryError) -> Int {
        guard let target = Self.target(url) else { throw AlertDeliveryError(.httpFailed, "\(url) is not an http:// or https:// URL") }
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let promise = loop.makePromise(of: Int.self)
        let sslContext: NIOSSLContext?
        do {
            sslContext = target.tls ? try NIOSSLContext(configuration: .makeClientConfiguration()) : nil
        } catch {
            throw AlertDeliveryError(.httpFailed, "cannot set up TLS: \(error)")
        }
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: target.hostHeader)
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: String(body.count))
        headers.add(name: "User-Agent", value: "tlsrpt")
        headers.add(name: "Connection", value: "close")
        let head = HTTPRequestHead(version: .http1_1, method: .POST, uri: target.pathAndQuery, headers: headers)
        let serverName = target.host.contains(":") || target.host.allSatisfy({ $0.isNumber || $0 == "." }) ? nil : target.host
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(.milliseconds(Int64(timeout * 1000)))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: sslContext, serverHostname: serverName))
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(ExchangeHandler(head: head, body: body, promise: promise))
                }
            }
        let started = ContinuousClock.now
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: target.host, port: target.port).get()
        } catch {
            promise.fail(error)
            throw AlertDeliveryError(.httpFailed, "cannot connect to \(target.host):\(target.port): \(error)")
        }
        let left = max(0.001, timeout - Self.seconds(ContinuousClock.now - started))
        let timer = loop.scheduleTask(in: .milliseconds(Int64(left * 1000))) {
            promise.fail(AlertDeliveryError(.timedOut, "no answer from \(target.host):\(target.port) within \(ShellCommand.seconds(timeout))"))
            channel.close(promise: nil)
        }
        defer { timer.cancel() }
        do {
            return try await promise.futureResult.get()
        } catch let error as AlertDeliveryError {
            throw error
        } catch {
            throw AlertDeliveryError(.httpFailed, "POST to \(target.host):\(target.port) failed: \(error)")
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// Sends the request once the connection is up and completes the promise with the status once the response
/// has ended; a connection that closes first fails it. (A promise completed twice keeps its first result.)
private final class ExchangeHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    let head: HTTPRequestHead
    let body: [UInt8]
    let promise: EventLoopPromise<Int>
    var status: Int?

    init(head: HTTPRequestHead, body: [UInt8], promise: EventLoopPromise<Int>) {
        self.head = head
        self.body = body
        self.promise = promise
    }

    func channelActive(context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let response): status = Int(response.status.code)
        case .body: break
        case .end:
            if let status { promise.succeed(status) }
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(AlertDeliveryError(.httpFailed, "the server closed the connection before answering"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
        context.close(promise: nil)
    }
}
