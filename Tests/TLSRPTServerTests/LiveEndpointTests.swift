import Foundation
import Hummingbird
import HummingbirdTesting
import TLSRPTExtract
import TLSRPTServer
import Testing
import TLSRPTStore
import TLSRPTTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Over a real socket (plain HTTP on loopback): what the in-process router cannot show.
struct LiveEndpointTests {
    @Test func chunkedUploadOverTheCapIs413() async throws {
        let harness = try Harness(maxBody: 64 << 10)
        defer { harness.remove() }
        // 1 MiB with no Content-Length: the cap must be enforced while reading.
        let file = harness.folder.appendingPathComponent("big.bin")
        try Data(repeating: UInt8(ascii: " "), count: 1 << 20).write(to: file)
        try await harness.server.application().test(.live) { client in
            let port = try #require(client.port)
            let status = try await ProcessRunner.curlStatus([
                "-H", "Transfer-Encoding: chunked", "-H", "Content-Type: application/tlsrpt+json",
                "--data-binary", "@\(file.path)", "http://localhost:\(port)/tlsrpt",
            ])
            #expect(status == 413)
            // The server is still there for the next sender, on a new connection (the test client's own one
            // may have sat idle past the header timeout while curl was answered, and been closed for it).
            #expect(try await ProcessRunner.curlStatus(["http://localhost:\(port)/healthz"]) == 200)
        }
        #expect(try harness.storedReports().isEmpty)
    }

    @Test func chunkedUploadUnderTheCapIsStored() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        let file = harness.folder.appendingPathComponent("report.json.gz")
        try Data(try Corpus.bytes(Corpus.microsoftGzip)).write(to: file)
        try await harness.server.application().test(.live) { client in
            let port = try #require(client.port)
            let status = try await ProcessRunner.curlStatus([
                "-H", "Transfer-Encoding: chunked", "-H", "Content-Type: application/tlsrpt+gzip", "-A", "chunky/2",
                "--data-binary", "@\(file.path)", "http://localhost:\(port)/tlsrpt",
            ])
            #expect(status == 201)
        }
        let rows = try harness.storedReports()
        #expect(rows.map(\.successful) == [2])
        let detail = try #require(try harness.store.report(id: rows[0].id))
        #expect(["127.0.0.1", "::1"].contains(detail.provenance.clientAddress))
        #expect(detail.provenance.userAgent == "chunky/2")
    }

    @Test func forwardedForCountsOnlyWithTrustProxy() async throws {
        for trust in [false, true] {
            let harness = try Harness(trustProxy: trust)
            defer { harness.remove() }
            let file = harness.folder.appendingPathComponent("google.json")
            try Data(try Corpus.bytes(Corpus.googleJSON)).write(to: file)
            try await harness.server.application().test(.live) { client in
                let port = try #require(client.port)
                let status = try await ProcessRunner.curlStatus([
                    "-H", "X-Forwarded-For: 10.9.9.9, 192.0.2.7", "-H", "Content-Type: application/tlsrpt+json",
                    "--data-binary", "@\(file.path)", "http://localhost:\(port)/tlsrpt",
                ])
                #expect(status == 201)
            }
            let row = try #require(try harness.storedReports().first)
            let detail = try #require(try harness.store.report(id: row.id))
            if trust {
                #expect(detail.provenance.clientAddress == "192.0.2.7")
            } else {
                #expect(["127.0.0.1", "::1"].contains(detail.provenance.clientAddress))
            }
        }
    }

    @Test func slowHeadersAreCutOff() async throws {
        let harness = try Harness(headerTimeout: .seconds(1))
        defer { harness.remove() }
        try await harness.server.application().test(.live) { client in
            let port = try #require(client.port)
            let (connected, received, waited) = await ProcessRunner.onOwnThread { () -> (Int32, Int, Duration) in
                let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                defer { close(descriptor) }
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                address.sin_port = in_port_t(UInt16(port).bigEndian)
                address.sin_addr.s_addr = inet_addr("127.0.0.1")
                let connected = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                }
                // Half a request head, then silence: a slowloris client.
                let partial = Array("POST /tlsrpt HTTP/1.1\r\nHost: x\r\n".utf8)
                _ = partial.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
                var timeout = timeval(tv_sec: 5, tv_usec: 0)
                setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                let start = ContinuousClock.now
                var buffer = [UInt8](repeating: 0, count: 64)
                let received = recv(descriptor, &buffer, buffer.count, 0)
                return (connected, received, start.duration(to: .now))
            }
            #expect(connected == 0)
            // Closed by the server (0 bytes, end of stream) after about a second, well before our 5 s timeout.
            #expect(received == 0)
            #expect(waited < .seconds(4))
        }
    }
}
