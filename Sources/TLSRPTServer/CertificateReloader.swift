import Logging
import NIOConcurrencyHelpers
import NIOSSL
import ServiceLifecycle
import UnixSignals

/// The server's TLS context, built from PEM files and rebuilt on demand.
///
/// A renewed Let's Encrypt certificate is written over the old files; `reload()` (run on SIGHUP, as
/// certbot's deploy hook would send) reads them again. New connections get the new context; connections
/// already open keep theirs. A reload that fails (a half-written file, a key that does not match) keeps
/// the current context, so a bad renewal never takes the endpoint down.
public final class CertificateReloader: Sendable {
    public let files: EndpointConfiguration.TLSFiles
    private let context: NIOLockedValueBox<NIOSSLContext>

    /// Loads the files once; throws when they cannot be used, so `serve` fails at start, not at the first
    /// handshake.
    public init(files: EndpointConfiguration.TLSFiles) throws(EndpointSetupError) {
        self.files = files
        self.context = NIOLockedValueBox(try Self.makeContext(files))
    }

    /// The context for the next connection.
    public var current: NIOSSLContext { context.withLockedValue { $0 } }

    /// Reads the PEM files again and swaps the context in.
    public func reload() throws(EndpointSetupError) {
        let fresh = try Self.makeContext(files)
        context.withLockedValue { $0 = fresh }
    }

    static func makeContext(_ files: EndpointConfiguration.TLSFiles) throws(EndpointSetupError) -> NIOSSLContext {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(files.certificatePath)
        } catch {
            throw EndpointSetupError("cannot read the certificate chain \(files.certificatePath): \(error)")
        }
        guard !chain.isEmpty else { throw EndpointSetupError("\(files.certificatePath) holds no PEM certificate") }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: files.privateKeyPath, format: .pem)
        } catch {
            throw EndpointSetupError("cannot read the private key \(files.privateKeyPath): \(error)")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw EndpointSetupError(
                "cannot use \(files.certificatePath) with \(files.privateKeyPath) (does the key match the certificate?): \(error)")
        }
    }

    /// A service that reloads on every SIGHUP until shutdown.
    public func reloadOnHangup(logger: Logger) -> some Service { HangupService(reloader: self, logger: logger) }

    struct HangupService: Service {
        let reloader: CertificateReloader
        let logger: Logger

        func run() async throws {
            let signals = await UnixSignalsSequence(trapping: .sighup)
            for await _ in signals.cancelOnGracefulShutdown() {
                do {
                    try reloader.reload()
                    logger.info("reloaded the TLS certificate", metadata: ["certificate": .string(reloader.files.certificatePath)])
                } catch {
                    logger.error("kept the previous TLS certificate: \(error.message)")
                }
            }
        }
    }
}

/// The endpoint could not start: unusable certificate files, an address that cannot be bound.
public struct EndpointSetupError: Error, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
