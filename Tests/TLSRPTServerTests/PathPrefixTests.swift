import Foundation
import Hummingbird
import HummingbirdTesting
import TLSRPTServer
import TLSRPTStore
import TLSRPTTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `serve --path /tlsrpt/`: one URI per customer (`rua=https://collector.example.net/tlsrpt/<domain>`), as
/// providers publish them; the path a report came to is recorded with it.
struct PathPrefixTests {
    func post(_ client: some TestClientProtocol, _ uri: String, _ body: [UInt8], type: String = "application/tlsrpt+json") async throws -> HTTPResponse.Status {
        try await client.execute(uri: uri, method: .post, headers: [.contentType: type], body: ByteBuffer(body)).status
    }

    @Test func aPrefixServesEveryPathBelowItAndRecordsIt() async throws {
        let harness = try Harness(path: "/tlsrpt/")
        defer { harness.remove() }
        let google = try Corpus.bytes(Corpus.googleJSON)
        let microsoft = try Corpus.bytes(Corpus.microsoftGzip)
        try await harness.server.application().test(.router) { client in
            do {
                let status = try await post(client, "/tlsrpt/example.com", google)
                #expect(status == .created)
            }
            do {
                let status = try await post(client, "/tlsrpt/customer-7/x", microsoft, type: "application/tlsrpt+gzip")
                #expect(status == .created)
            }
            // The same report again, to another customer's path: stored once.
            do {
                let status = try await post(client, "/tlsrpt/example.org", google)
                #expect(status == .ok)
            }
            do {
                let response = try await client.execute(uri: "/tlsrpt/example.com", method: .get)
                #expect(response.status == .methodNotAllowed)
            }
            do {
                let status = try await post(client, "/other/example.com", google)
                #expect(status == .notFound)
            }
            let long = "/tlsrpt/" + String(repeating: "a", count: EndpointConfiguration.maxPathBelowPrefix + 1)
            do {
                let status = try await post(client, long, google)
                #expect(status == .uriTooLong)
            }
            do {
                let response = try await client.execute(uri: "/healthz", method: .get)
                #expect(response.status == .ok)
            }
        }
        let rows = try harness.storedReports()
        #expect(Set(rows.map(\.sourceName)) == ["/tlsrpt/example.com", "/tlsrpt/customer-7/x"])
        let googleRow = try #require(rows.first { $0.organization == "Google Inc." })
        let detail = try #require(try harness.store.report(id: googleRow.id))
        #expect(detail.provenance.name == "/tlsrpt/example.com")
    }

    /// `--domain-from-path`: a provider's thousands of customers need no list; each URI takes its own domain only.
    @Test func theLastPathSegmentNamesTheOnlyDomainAccepted() async throws {
        let harness = try Harness(path: "/tlsrpt/", domainFromPath: true)
        defer { harness.remove() }
        let google = try Corpus.bytes(Corpus.googleJSON)  // policy-domain example.com
        try await harness.server.application().test(.router) { client in
            for uri in ["/tlsrpt/example.org", "/tlsrpt/", "/tlsrpt", "/tlsrpt/example.com.evil"] {
                let response = try await client.execute(
                    uri: uri, method: .post, headers: [.contentType: "application/tlsrpt+json"], body: ByteBuffer(google))
                #expect(response.status == .unprocessableContent, "\(uri)")
                if uri == "/tlsrpt/example.org" {
                    let text = String(buffer: response.body)
                    #expect(text.contains("about example.com") && text.contains("URI of example.org"), "\(text)")
                }
            }
            // Case and a trailing dot are the domain's spelling, not another domain.
            let status = try await post(client, "/tlsrpt/Example.COM.", google)
            #expect(status == .created)
        }
        let rows = try harness.storedReports()
        #expect(rows.map(\.sourceName) == ["/tlsrpt/Example.COM."])
    }

    @Test func withoutATrailingSlashOnlyThePathItselfIsServed() async throws {
        let harness = try Harness(path: "/tlsrpt")
        defer { harness.remove() }
        let google = try Corpus.bytes(Corpus.googleJSON)
        try await harness.server.application().test(.router) { client in
            do {
                let status = try await post(client, "/tlsrpt/example.com", google)
                #expect(status == .notFound)
            }
            do {
                let status = try await post(client, "/tlsrpt", google)
                #expect(status == .created)
            }
        }
    }

    /// The built server over real TLS, driven by curl, as a sender posting to its customer's URI.
    @Test func curlPostsToACustomersPathOverTLS() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tlsrpt-prefix-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (cert, key) = try await ServeOverTLSTests.makeCertificate(in: folder, name: "cert", commonName: "localhost")
        let database = folder.appendingPathComponent("reports.sqlite").path
        let server = try await ServeOverTLSTests.RunningServer(
            executable: try ServeOverTLSTests.executable(),
            arguments: ["serve", "--db", database, "--listen", "127.0.0.1:0", "--tls-cert", cert, "--tls-key", key, "--path", "/tlsrpt/"],
            folder: folder)
        defer { if server.process.isRunning { server.process.terminate() } }
        let body = folder.appendingPathComponent("google.json").path
        try Data(try Corpus.bytes(Corpus.googleJSON)).write(to: URL(fileURLWithPath: body))
        let status = try await ProcessRunner.curlStatus([
            "--cacert", cert, "-H", "Content-Type: application/tlsrpt+json", "--data-binary", "@\(body)",
            "https://localhost:\(server.port)/tlsrpt/example.com",
        ])
        #expect(status == 201)
        server.signal(SIGTERM)
        #expect(try await server.waitForExit(seconds: 15) == 0)
        let shown = try await ProcessRunner.run(try ServeOverTLSTests.executable(), ["show", "--db", database, "1"])
        #expect(shown.stdout.contains("Arrived:       https /tlsrpt/example.com"))
    }
}
