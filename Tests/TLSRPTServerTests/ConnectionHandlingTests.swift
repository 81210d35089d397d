import Foundation
import Hummingbird
import HummingbirdTesting
import TLSRPTServer
import TLSRPTTestSupport
import Testing

/// How the endpoint treats connections over real TLS on loopback: an answer given before the body was
/// read ends the connection, and a connection waiting for a request head is always on the header clock.
@Suite(.serialized)
struct ConnectionHandlingTests {
    /// A fresh harness serving TLS with a throw-away certificate.
    static func tlsHarness(headerTimeout: Duration = .seconds(10), maxRequestsPerClient: Int = 4) async throws -> Harness {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tlsrpt-cert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let (cert, key) = try await ServeOverTLSTests.makeCertificate(in: folder, name: "cert", commonName: "localhost")
        return try Harness(
            tls: .init(certificatePath: cert, privateKeyPath: key), headerTimeout: headerTimeout,
            maxRequestsPerClient: maxRequestsPerClient)
    }

    @Test(.enabled(if: ExternalTools.hasPython3, ExternalTools.python3Absent))
    func hugeDeclaredLengthIsAnswered413AndTheConnectionClosed() async throws {
        let harness = try await Self.tlsHarness()
        defer { harness.remove() }
        try await harness.server.application().test(.live) { client in
            let outcome = try await RawTLSClient.run(port: try #require(client.port), .hugeDeclaredLength)
            #expect(outcome.status.hasPrefix("HTTP/1.1 413"))
            // Closed, not read on for gigabytes: what got written is the linger (1 MiB) plus socket buffers.
            #expect(outcome.closed)
            #expect(outcome.sent < 64 << 20, "the server took \(outcome.sent) bytes after its 413")
            #expect((outcome.secondsAfterAnswer ?? .infinity) < 10)
        }
    }

    @Test(.enabled(if: ExternalTools.hasPython3, ExternalTools.python3Absent))
    func connectionAnswered415IsClosedEvenIfTheClientGoesOn() async throws {
        let harness = try await Self.tlsHarness(headerTimeout: .seconds(2))
        defer { harness.remove() }
        try await harness.server.application().test(.live) { client in
            let outcome = try await RawTLSClient.run(port: try #require(client.port), .answeredEarlyThenDawdle)
            #expect(outcome.status.hasPrefix("HTTP/1.1 415"))
            #expect(outcome.closed)
            // Well before the 30 s idle timeout that used to be the only limit.
            #expect((outcome.secondsAfterAnswer ?? .infinity) < 8)
        }
    }

    @Test(.enabled(if: ExternalTools.hasPython3, ExternalTools.python3Absent))
    func nextHeadOnAKeptAliveConnectionIsOnTheHeaderClock() async throws {
        let harness = try await Self.tlsHarness(headerTimeout: .seconds(2))
        defer { harness.remove() }
        try await harness.server.application().test(.live) { client in
            let outcome = try await RawTLSClient.run(port: try #require(client.port), .keepAliveThenDawdle)
            #expect(outcome.status.hasPrefix("HTTP/1.1 200"))
            #expect(outcome.closed)
            #expect((outcome.secondsAfterAnswer ?? .infinity) < 8)
        }
    }

    @Test(.enabled(if: ExternalTools.hasPython3, ExternalTools.python3Absent))
    func tooManyRequestsInFlightFromOneClientIs429WithRetryAfter() async throws {
        let harness = try await Self.tlsHarness(maxRequestsPerClient: 1)
        defer { harness.remove() }
        let cert = harness.server.configuration.tls!.certificatePath
        try await harness.server.application().test(.live) { client in
            let port = try #require(client.port)
            // One upload held open (its body never finishes) takes this client's only slot.
            async let holder = RawTLSClient.run(port: port, .holdUpload, holdSeconds: 4)
            var waited = 0
            while harness.server.endpoint.inFlight(from: "127.0.0.1") == 0 && waited < 100 {
                try await Task.sleep(for: .milliseconds(50))
                waited += 1
            }
            let output = try await ProcessRunner.run(
                "/usr/bin/curl",
                [
                    // The held upload came from 127.0.0.1; "localhost" may resolve to ::1, another client.
                    "-s", "-D", "-", "-o", "/dev/null", "--resolve", "localhost:\(port):127.0.0.1", "--cacert", cert,
                    "-H", "Content-Type: application/tlsrpt+json",
                    "--data-binary", "{}", "https://localhost:\(port)/tlsrpt",
                ])
            #expect(output.stdout.hasPrefix("HTTP/1.1 429"), "\(output.stdout)")
            #expect(output.stdout.lowercased().contains("retry-after: "))
            _ = try await holder
            // The slot is free again once the held request is over.
            let google = try Corpus.bytes(Corpus.googleJSON)
            let file = harness.folder.appendingPathComponent("google.json")
            try Data(google).write(to: file)
            var status = 0
            for _ in 0..<50 where status != 201 {
                status = try await ProcessRunner.curlStatus([
                    "--cacert", cert, "-H", "Content-Type: application/tlsrpt+json", "--data-binary", "@\(file.path)",
                    "https://localhost:\(port)/tlsrpt",
                ])
                if status != 201 { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(status == 201)
        }
    }
}
