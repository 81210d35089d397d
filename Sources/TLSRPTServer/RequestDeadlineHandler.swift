import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Keeps every connection on a deadline, and closes the ones answered before their body was read.
///
/// **Deadlines (slowloris).** Hummingbird's idle timeout only fires after a silence, so a client that
/// trickles one header byte every few seconds would hold its connection (and a slot under the connection
/// limit) for ever. Here, whenever the connection waits for a request head (when it opens, and whenever
/// every request read so far has been answered) the whole head must arrive within `headerTimeout`; a
/// body must arrive within `bodyTimeout` of its head. Only while the server itself works on a complete
/// request is there no deadline. The state is counted per request (heads, ends, answers), not inferred
/// from the last event, so an answer written before its request ended cannot leave the connection
/// unguarded.
///
/// **Early answers.** A request refused on its head (413 for a declared length over the cap, 415, 429,
/// 503) is answered before its body is read. Hummingbird would then read the rest of the body to reach
/// the next request, however long it is (a declared `Content-Length: 100000000000` kept it reading
/// gigabytes). Instead the answer gets `Connection: close`, and once it is flushed the connection is
/// closed: after a short linger (at most `lingerTime` and `lingerBytes` of the body, discarded) so that
/// the client, still sending, reads the answer instead of a reset.
///
/// The handler sits after the HTTP decoder, so it sees request parts, not bytes.
final class RequestDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// How long, and how many body bytes, a connection answered early is read (and discarded) before it
    /// is closed.
    static let lingerTime: TimeAmount = .seconds(1)
    static let lingerBytes = 1 << 20

    private let headerTimeout: TimeAmount
    private let bodyTimeout: TimeAmount
    private var deadline: Scheduled<Void>?

    /// Request heads read, request ends read, and answers completely written on this connection.
    private var headsRead = 0
    private var endsRead = 0
    private var answersWritten = 0
    /// The answer being written went out before its request's end was read: close after it, lingering.
    private var answeringEarly = false
    /// The answer being written says `Connection: close`: close once it is flushed.
    private var closingAfterAnswer = false
    /// After an early answer: what is still read is discarded, up to the linger limits.
    private var lingering = false
    private var lingeredBytes = 0

    init(headerTimeout: TimeAmount, bodyTimeout: TimeAmount) {
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        arm(headerTimeout, context: context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if lingering {
            // The answer is out and the connection is closing: nothing read now is handled.
            switch part {
            case .head, .end: context.close(promise: nil)
            case .body(let buffer):
                lingeredBytes += buffer.readableBytes
                if lingeredBytes > Self.lingerBytes { context.close(promise: nil) }
            }
            return
        }
        switch part {
        case .head:
            headsRead += 1
            arm(bodyTimeout, context: context)
        case .body:
            break
        case .end:
            endsRead += 1
            // The request is in. The server takes its time to answer; if it has answered already (an
            // answer to a pipelined request), the connection waits for the next head again.
            if answersWritten == headsRead { arm(headerTimeout, context: context) } else { disarm() }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var response):
            answeringEarly = endsRead < headsRead
            closingAfterAnswer = answeringEarly || response.headerFields[.connection]?.lowercased() == "close"
            if answeringEarly {
                // Tell the client this connection ends with this answer (RFC 9112 §9.6).
                response.headerFields[.connection] = "close"
                context.write(wrapOutboundOut(.head(response)), promise: promise)
                return
            }
        case .body:
            break
        case .end:
            answersWritten += 1
            if closingAfterAnswer {
                let flushed = context.eventLoop.makePromise(of: Void.self)
                flushed.futureResult.cascade(to: promise)
                context.writeAndFlush(data, promise: flushed)
                let loopBound = NIOLoopBound((self, context, answeringEarly), eventLoop: context.eventLoop)
                flushed.futureResult.whenComplete { _ in
                    let (handler, context, early) = loopBound.value
                    if early { handler.linger(context: context) } else { context.close(promise: nil) }
                }
                return
            }
            // Every request read so far is answered: the next head is on the clock from now.
            if answersWritten == headsRead && endsRead == headsRead { arm(headerTimeout, context: context) }
        }
        context.write(data, promise: promise)
    }

    /// Reads (and drops) what the client still sends for a little while, then closes.
    private func linger(context: ChannelHandlerContext) {
        lingering = true
        arm(Self.lingerTime, context: context)
    }

    private func arm(_ timeout: TimeAmount, context: ChannelHandlerContext) {
        disarm()
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: timeout) {
            loopBound.value.close(promise: nil)
        }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }
}
