import HummingbirdCore
import Logging
import NIOCore
import NIOSSL

/// HummingbirdTLS's `TLSChannel` fixes one `NIOSSLContext` for the server's life. This child channel asks
/// the `CertificateReloader` for the current context at each new connection instead, so a renewed
/// certificate is served without a restart.
struct ReloadableTLSChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base
    let certificates: CertificateReloader

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let context = certificates.current
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
