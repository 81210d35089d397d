import Foundation
import Hummingbird
import HummingbirdTesting
import TLSRPTServer
import Testing
import TLSRPTTestSupport

/// What the listener offers in the handshake, asked with openssl as a client.
struct TLSPolicyTests {
    /// Whether `openssl s_client` completes a handshake with these arguments.
    static func handshake(port: Int, _ arguments: [String]) async throws -> Bool {
        let output = try await ProcessRunner.run(
            "/bin/sh", ["-c", "openssl s_client -connect 127.0.0.1:\(port) -servername localhost \(arguments.joined(separator: " ")) </dev/null 2>&1"])
        // A finished handshake names its cipher; a refused one says "no shared cipher" / "handshake failure".
        return output.status == 0 && output.stdout.contains("Cipher is ") && !output.stdout.contains("Cipher is (NONE)")
    }

    @Test func tls12OffersOnlyForwardSecretAEADSuites() async throws {
        let harness = try await ConnectionHandlingTests.tlsHarness()
        defer { harness.remove() }
        try await harness.server.application().test(.live) { client in
            let port = try #require(client.port)
            // The certificate is ECDSA: these are the suites a TLS 1.2 client could use with it.
            #expect(try await Self.handshake(port: port, ["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256"]))
            #expect(try await Self.handshake(port: port, ["-tls1_2", "-cipher", "ECDHE-ECDSA-CHACHA20-POLY1305"]))
            // CBC with SHA-1 or SHA-2 MACs, and RSA key exchange without forward secrecy: refused.
            #expect(try await !Self.handshake(port: port, ["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA"]))
            #expect(try await !Self.handshake(port: port, ["-tls1_2", "-cipher", "ECDHE-ECDSA-AES256-SHA384"]))
            #expect(try await !Self.handshake(port: port, ["-tls1_2", "-cipher", "AES128-SHA"]))
            // TLS 1.3 as BoringSSL has it; TLS 1.1 not at all.
            #expect(try await Self.handshake(port: port, ["-tls1_3"]))
            #expect(try await !Self.handshake(port: port, ["-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"]))
        }
    }

    @Test func curlWithACBCSuiteCannotConnect() async throws {
        let harness = try await ConnectionHandlingTests.tlsHarness()
        defer { harness.remove() }
        let cert = harness.server.configuration.tls!.certificatePath
        try await harness.server.application().test(.live) { client in
            let url = "https://localhost:\(try #require(client.port))/healthz"
            let cbc = try await ProcessRunner.curlStatus(["--cacert", cert, "--tls-max", "1.2", "--ciphers", "ECDHE-ECDSA-AES128-SHA", url])
            #expect(cbc == 0)
            let gcm = try await ProcessRunner.curlStatus([
                "--cacert", cert, "--tls-max", "1.2", "--ciphers", "ECDHE-ECDSA-AES128-GCM-SHA256", url,
            ])
            #expect(gcm == 200)
        }
    }
}
