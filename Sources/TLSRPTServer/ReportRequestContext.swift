package import Hummingbird
import NIOConcurrencyHelpers
package import NIOCore

/// The per-request context: Hummingbird's core storage, the peer's address, and a note the handler leaves
/// for the request log (what was stored, or why it was refused).
package struct ReportRequestContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    /// The TCP peer (the reverse proxy, when there is one). Nil in in-process tests.
    package let remoteAddress: SocketAddress?
    let note: RequestNote

    package init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
        self.note = RequestNote()
    }
}

/// What the handler tells the request log. A reference, because middleware sees the context by value
/// before the handler runs; locked only to satisfy `Sendable` (one request is handled by one task).
final class RequestNote: Sendable {
    struct Fields {
        var bodyBytes = 0
        var detail: String?
        var client: String?
    }

    private let fields = NIOLockedValueBox(Fields())

    var bodyBytes: Int {
        get { fields.withLockedValue { $0.bodyBytes } }
        set { fields.withLockedValue { $0.bodyBytes = newValue } }
    }

    var detail: String? {
        get { fields.withLockedValue { $0.detail } }
        set { fields.withLockedValue { $0.detail = newValue } }
    }

    var client: String? {
        get { fields.withLockedValue { $0.client } }
        set { fields.withLockedValue { $0.client = newValue } }
    }
}
