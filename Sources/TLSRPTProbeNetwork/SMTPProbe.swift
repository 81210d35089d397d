import Foundation
package import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS

/// What one SMTP conversation showed, before the certificate is judged.
package enum SMTPObservation: Sendable {
    case unreachable(String)
    case noSTARTTLS
    case handshakeFailed(String)
    /// The certificates the server presented, leaf first, as DER.
    case presented([[UInt8]])
}

/// Connects to an MX as a sender does: greeting, EHLO, STARTTLS, the TLS handshake, then QUIT. It never
/// sends MAIL FROM, so it never sends mail.
///
/// The handshake accepts any certificate (a custom verification callback that records the chain and says
/// yes): the probe wants to see what is served, and ``CertificateInspector`` judges it afterwards, as a
/// sender would, so that "untrusted", "expired" and "wrong name" are told apart.
package struct SMTPProbe: Sendable {
    package var timeout: TimeAmount
    package var ehloName: String
    package var group: any EventLoopGroup

    package init(timeout: TimeAmount, ehloName: String, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.timeout = timeout
        self.ehloName = ehloName
        self.group = group
    }

    /// Probes `address:port`, sending `serverName` as SNI.
    package func probe(address: String, port: Int, serverName: String) async -> SMTPObservation {
        let context: NIOSSLContext
        do {
            var configuration = TLSConfiguration.makeClientConfiguration()
            // Not .none: NIOSSL calls the custom callback only when it verifies at all.
            configuration.certificateVerification = .noHostnameVerification
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            return .handshakeFailed("cannot set up TLS: \(error)")
        }
        // The conversation and its promise exist before the connection does, so the outcome is read from the
        // promise and never from a pipeline the conversation may already have left.
        let conversation = SMTPConversation(
            promise: group.next().makePromise(of: SMTPObservation.self), ehloName: ehloName, serverName: serverName, tls: context)
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(conversation)
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: address, port: port).get()
        } catch {
            let outcome = SMTPObservation.unreachable("cannot connect to port \(port): \(error)")
            conversation.complete(outcome)
            return outcome
        }
        let deadline = channel.eventLoop.scheduleTask(in: timeout) {
            channel.pipeline.fireErrorCaught(SMTPConversation.Timeout())
        }
        defer { deadline.cancel() }
        do {
            return try await conversation.result.get()
        } catch {
            channel.close(promise: nil)
            return .unreachable("\(error)")
        }
    }
}

/// The conversation's state machine, on the channel's event loop.
final class SMTPConversation: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    struct Timeout: Error, CustomStringConvertible {
        var description: String { "no answer in time" }
    }

    private enum State {
        case greeting, ehlo, starttls, handshake, done
    }

    private let promise: EventLoopPromise<SMTPObservation>
    var result: EventLoopFuture<SMTPObservation> { promise.futureResult }
    /// Whether the promise is completed: the event loop and a failed connect may both try.
    private let completion = NSLock()
    private var completed = false
    private let ehloName: String
    private let serverName: String
    private let tls: NIOSSLContext
    private var state = State.greeting
    private var pending: [UInt8] = []
    private var reply: [String] = []
    private var presented: [[UInt8]] = []

    init(promise: EventLoopPromise<SMTPObservation>, ehloName: String, serverName: String, tls: NIOSSLContext) {
        self.promise = promise
        self.ehloName = ehloName
        self.serverName = serverName
        self.tls = tls
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        pending += buffer.readBytes(length: buffer.readableBytes) ?? []
        // A reply line is at most 512 bytes (RFC 5321 §4.5.3.1.5); a server sending more is not SMTP.
        guard pending.count < 64 * 1024 else { return finish(context, .unreachable("the server sent an over-long line")) }
        while let newline = pending.firstIndex(of: 0x0A) {
            var line = String(decoding: pending[..<newline], as: UTF8.self)
            pending.removeSubrange(...newline)
            if line.hasSuffix("\r") { line.removeLast() }
            reply.append(line)
            // The last line of a reply has a space (or nothing) after the code: `250 ok`, not `250-…`.
            if line.count < 4 || line[line.index(line.startIndex, offsetBy: 3)] == " " {
                let lines = reply
                reply = []
                handle(context, code: Int(line.prefix(3)) ?? 0, lines: lines)
            }
        }
    }

    private func handle(_ context: ChannelHandlerContext, code: Int, lines: [String]) {
        switch state {
        case .greeting:
            guard code == 220 else { return finish(context, .unreachable("greeting: \(lines.last ?? "")")) }
            state = .ehlo
            send(context, "EHLO \(ehloName)")
        case .ehlo:
            guard code == 250 else { return finish(context, .unreachable("EHLO refused: \(lines.last ?? "")")) }
            let offered = lines.contains { $0.count > 4 && $0.dropFirst(4).uppercased().hasPrefix("STARTTLS") }
            guard offered else {
                send(context, "QUIT")
                return finish(context, .noSTARTTLS)
            }
            state = .starttls
            send(context, "STARTTLS")
        case .starttls:
            guard code == 220 else {
                send(context, "QUIT")
                return finish(context, .handshakeFailed("STARTTLS refused: \(lines.last ?? "")"))
            }
            state = .handshake
            do {
                let handler = try NIOSSLClientHandler(
                    context: tls, serverHostname: serverName,
                    customVerificationCallback: { [self] certificates, verdict in
                        presented = certificates.compactMap { try? $0.toDERBytes() }
                        verdict.succeed(.certificateVerified)
                    })
                try context.pipeline.syncOperations.addHandler(handler, position: .first)
            } catch {
                finish(context, .handshakeFailed("\(error)"))
            }
        case .handshake, .done:
            // The answer to QUIT over TLS, or talk after the end: nothing to do.
            break
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted = event as? TLSUserEvent, state == .handshake {
            send(context, "QUIT")
            finish(context, presented.isEmpty ? .handshakeFailed("the server presented no certificate") : .presented(presented))
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch state {
        case .handshake: finish(context, .handshakeFailed("\(error)"))
        case .done: break
        default: finish(context, .unreachable(error is Timeout ? "no SMTP answer in time" : "\(error)"))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        switch state {
        case .done: break
        case .handshake: finish(context, .handshakeFailed("the server closed the connection during the handshake"))
        default: finish(context, .unreachable("the server closed the connection"))
        }
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // A connection that failed or closed before an answer still completes the promise.
        state = .done
        complete(.unreachable("the connection closed before the conversation ended"))
    }

    /// Completes the promise once; later outcomes are dropped.
    func complete(_ observation: SMTPObservation) {
        completion.lock()
        let first = !completed
        completed = true
        completion.unlock()
        if first { promise.succeed(observation) }
    }

    private func send(_ context: ChannelHandlerContext, _ line: String) {
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: line + "\r\n")), promise: nil)
    }

    private func finish(_ context: ChannelHandlerContext, _ observation: SMTPObservation) {
        guard state != .done else { return }
        state = .done
        complete(observation)
        // Give QUIT a moment to leave, then close.
        let channel = context.channel
        context.eventLoop.scheduleTask(in: .milliseconds(200)) { channel.close(promise: nil) }
    }
}
