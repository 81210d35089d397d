import Foundation
package import Logging
import NIOConcurrencyHelpers
package import NIOSSL
package import ServiceLifecycle
import TLSRPTCore
import TLSRPTStore
import UnixSignals

/// The server's TLS context, built from PEM files and rebuilt on demand.
///
/// A renewed certificate is written over the old files (under the shipped systemd unit, `systemctl
/// reload` copies them into the unit's runtime directory first); `reload()`, run on SIGHUP, reads them
/// again. New connections get the new context; connections already open keep theirs. A reload that fails
/// (a half-written file, a key that does not match) keeps the current context, so a bad renewal never
/// takes the endpoint down. A reload that finds the same bytes it loaded last says so instead of claiming
/// to have reloaded: under systemd's `LoadCredential=`, for example, the files are copies made at start
/// and never change, and a log saying "reloaded" there hid that the old certificate was still served.
package final class CertificateReloader: Sendable {
    package let files: EndpointConfiguration.TLSFiles
    private let loaded: NIOLockedValueBox<Loaded>

    struct Loaded {
        var context: NIOSSLContext
        /// SHA-256 of the certificate file's bytes then the key file's, as they were loaded.
        var fingerprint: [UInt8]
    }

    /// What a reload found.
    package enum ReloadOutcome: Sendable, Equatable {
        /// New files were loaded; new connections present them.
        case reloaded
        /// The files hold the very bytes already loaded: nothing changed.
        case unchanged
    }

    /// TLS 1.2 suites offered: forward-secret key exchange (ECDHE) and AEAD ciphers only, no CBC or SHA-1
    /// MACs (the suites Mozilla's "intermediate" profile keeps). TLS 1.3 suites are all AEAD and are
    /// left as BoringSSL has them.
    package static let tls12CipherSuites: [NIOTLSCipher] = [
        .TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        .TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, .TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        .TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, .TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ]

    /// Loads the files once; throws when they cannot be used, so `serve` fails at start, not at the first
    /// handshake.
    package init(files: EndpointConfiguration.TLSFiles) throws(EndpointSetupError) {
        self.files = files
        self.loaded = NIOLockedValueBox(try Self.load(files))
    }

    /// The context for the next connection.
    package var current: NIOSSLContext { loaded.withLockedValue { $0.context } }

    /// Reads the PEM files again and swaps the context in when they changed.
    @discardableResult
    package func reload() throws(EndpointSetupError) -> ReloadOutcome {
        let bytes = try Self.read(files)
        let fingerprint = Self.fingerprint(bytes)
        if loaded.withLockedValue({ $0.fingerprint == fingerprint }) { return .unchanged }
        let fresh = Loaded(context: try Self.makeContext(files, certificate: bytes.certificate, key: bytes.key), fingerprint: fingerprint)
        loaded.withLockedValue { $0 = fresh }
        return .reloaded
    }

    static func load(_ files: EndpointConfiguration.TLSFiles) throws(EndpointSetupError) -> Loaded {
        let bytes = try read(files)
        return Loaded(context: try makeContext(files, certificate: bytes.certificate, key: bytes.key), fingerprint: fingerprint(bytes))
    }

    /// Both files' bytes, read once: what is fingerprinted is what is loaded.
    static func read(_ files: EndpointConfiguration.TLSFiles) throws(EndpointSetupError) -> (certificate: [UInt8], key: [UInt8]) {
        func contents(_ path: String, _ what: String) throws(EndpointSetupError) -> [UInt8] {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw EndpointSetupError(.certificate, "cannot read the \(what) \(path) (does it exist, and may this user read it?)")
            }
            return Array(data)
        }
        return (try contents(files.certificatePath, "certificate chain"), try contents(files.privateKeyPath, "private key"))
    }

    static func fingerprint(_ bytes: (certificate: [UInt8], key: [UInt8])) -> [UInt8] {
        ContentHash.sha256(ContentHash.sha256(bytes.certificate) + ContentHash.sha256(bytes.key))
    }

    static func makeContext(
        _ files: EndpointConfiguration.TLSFiles, certificate: [UInt8], key keyBytes: [UInt8]
    ) throws(EndpointSetupError) -> NIOSSLContext {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMBytes(certificate)
        } catch {
            throw EndpointSetupError(.certificate, "cannot read the certificate chain \(files.certificatePath): \(error)")
        }
        guard !chain.isEmpty else { throw EndpointSetupError(.certificate, "\(files.certificatePath) holds no PEM certificate") }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(bytes: keyBytes, format: .pem)
        } catch {
            throw EndpointSetupError(.certificate, "cannot read the private key \(files.privateKeyPath): \(error)")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        configuration.cipherSuiteValues = tls12CipherSuites
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw EndpointSetupError(
                .certificate, "cannot use \(files.certificatePath) with \(files.privateKeyPath) (does the key match the certificate?): \(error)")
        }
    }

    /// A service that reloads on every SIGHUP until shutdown.
    package func reloadOnHangup(logger: Logger) -> some Service { HangupService(reloader: self, logger: logger) }

    struct HangupService: Service {
        let reloader: CertificateReloader
        let logger: Logger

        func run() async throws {
            let signals = await UnixSignalsSequence(trapping: .sighup)
            for await _ in signals.cancelOnGracefulShutdown() {
                let metadata: Logger.Metadata = [
                    "certificate": .string(reloader.files.certificatePath), "key": .string(reloader.files.privateKeyPath),
                ]
                do {
                    switch try reloader.reload() {
                    case .reloaded:
                        logger.notice("SIGHUP: reloaded the TLS certificate; new connections present it", metadata: metadata)
                    case .unchanged:
                        logger.warning(
                            """
                            SIGHUP: the certificate and key files are unchanged since they were loaded, nothing reloaded \
                            (renewed files elsewhere? with the shipped systemd unit use 'systemctl reload tlsrpt-serve', \
                            which copies /etc/tlsrpt/tls.{crt,key} first)
                            """, metadata: metadata)
                    }
                } catch {
                    logger.error("SIGHUP: kept the previous TLS certificate: \(error.message)", metadata: metadata)
                }
            }
        }
    }
}

/// The endpoint could not start: unusable certificate files, a database it cannot read.
package struct EndpointSetupError: CodedError {
    package enum Code: Sendable, Equatable {
        /// The certificate chain or key cannot be read or used.
        case certificate
        /// The database cannot be read.
        case database
    }

    package let code: Code
    package let message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}
