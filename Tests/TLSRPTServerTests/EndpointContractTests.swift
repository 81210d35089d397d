import Foundation
import Hummingbird
import HummingbirdTesting
import TLSRPTExtract
import TLSRPTServer
import TLSRPTStore
import Testing

/// One test per row of the HTTPS endpoint contract (docs/ARCHITECTURE.md), in process through Hummingbird's router.
struct EndpointContractTests {
    @Test func gzipReportIsStoredThenAnsweredAsDuplicate() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        let body = try Corpus.bytes(Corpus.microsoftGzip)
        try await harness.server.application().test(.router) { client in
            let headers: HTTPFields = [.contentType: "application/tlsrpt+gzip", .userAgent: "test-sender/1.0"]
            let first = try await client.execute(uri: "/tlsrpt", method: .post, headers: headers, body: ByteBuffer(body))
            #expect(first.status == .created)
            #expect(String(buffer: first.body) == "stored\n")
            let second = try await client.execute(uri: "/tlsrpt", method: .post, headers: headers, body: ByteBuffer(body))
            #expect(second.status == .ok)
            #expect(String(buffer: second.body) == "duplicate\n")
        }
        let rows = try harness.storedReports()
        #expect(rows.count == 1)
        #expect(rows.first?.organization == "Microsoft Corporation")
        #expect(rows.first?.reportID == "134240000000000002+example.org")
        #expect(rows.first?.successful == 2)
        #expect(rows.first?.failed == 0)
        #expect(rows.first?.channel == "https")
        let detail = try #require(try harness.store.report(id: rows[0].id))
        #expect(detail.provenance.channel == .https)
        #expect(detail.provenance.userAgent == "test-sender/1.0")
    }

    @Test(arguments: [
        "application/tlsrpt+json", "application/tlsrpt", "application/json", "text/json", "application/octet-stream",
        "application/tlsrpt+json; charset=utf-8", "APPLICATION/JSON", nil,
    ])
    func jsonReportIsAcceptedUnderEveryLabelSendersUse(_ label: String?) async throws {
        let harness = try Harness()
        defer { harness.remove() }
        let body = try Corpus.bytes(Corpus.googleJSON)
        try await harness.server.application().test(.router) { client in
            var headers: HTTPFields = [:]
            if let label { headers[.contentType] = label }
            let response = try await client.execute(uri: "/tlsrpt", method: .post, headers: headers, body: ByteBuffer(body))
            #expect(response.status == .created)
        }
        let rows = try harness.storedReports()
        #expect(rows.map(\.reportID) == ["2026-05-22T00:00:00Z_example.com"])
        #expect(rows.first?.successful == 1)
        #expect(rows.first?.domains == ["example.com"])
    }

    @Test(arguments: ["application/gzip", "application/x-gzip", "application/tlsrpt+json", "application/json"])
    func gzipIsRecognisedByItsMagicWhateverTheLabel(_ label: String) async throws {
        let harness = try Harness()
        defer { harness.remove() }
        let body = try Corpus.bytes(Corpus.microsoftGzip)
        try await harness.server.application().test(.router) { client in
            let response = try await client.execute(
                uri: "/tlsrpt", method: .post, headers: [.contentType: label], body: ByteBuffer(body))
            #expect(response.status == .created)
        }
        #expect(try harness.storedReports().count == 1)
    }

    @Test func contentEncodingGzipOverTLSRPTGzipIsUnwrapped() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        let twice = Gzip.compress(try Corpus.bytes(Corpus.microsoftGzip))
        try await harness.server.application().test(.router) { client in
            let response = try await client.execute(
                uri: "/tlsrpt", method: .post, headers: [.contentType: "application/tlsrpt+gzip", .contentEncoding: "gzip"],
                body: ByteBuffer(twice))
            #expect(response.status == .created)
        }
        #expect(try harness.storedReports().map(\.successful) == [2])
    }

    @Test func malformedGzipIs400AndKeptAsRejection() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        let whole = try Corpus.bytes(Corpus.microsoftGzip)
        let truncated = Array(whole.prefix(whole.count / 2))
        try await harness.server.application().test(.router) { client in
            let response = try await client.execute(
                uri: "/tlsrpt", method: .post, headers: [.contentType: "application/tlsrpt+gzip"], body: ByteBuffer(truncated))
            #expect(response.status == .badRequest)
            let reason = String(buffer: response.body)
            #expect(reason.contains("truncated"))
            #expect(reason.hasSuffix("\n") && reason.dropLast().contains("\n") == false)
        }
        #expect(try harness.storedReports().isEmpty)
        let rejections = try harness.store.rejections()
        #expect(rejections.count == 1)
        #expect(rejections.first?.channel == "https")
        #expect(rejections.first?.hasRawCopy == true)
    }

    @Test(arguments: [
        ("{\"organization-name\": \"x\",", ""),
        // No report-id: a required field.
        (
            "{\"organization-name\":\"x\",\"date-range\":{\"start-datetime\":\"2025-01-01T00:00:00Z\","
                + "\"end-datetime\":\"2025-01-02T00:00:00Z\"},\"contact-info\":\"a@b\",\"policies\":[]}",
            "report-id"
        ),
        ("hello, this is not a report", "not a TLS report"),
    ])
    func malformedJSONOrMissingFieldIs400(_ text: String, _ expectedInReason: String) async throws {
        let harness = try Harness()
        defer { harness.remove() }
        try await harness.server.application().test(.router) { client in
            let response = try await client.execute(
                uri: "/tlsrpt", method: .post, headers: [.contentType: "application/tlsrpt+json"], body: ByteBuffer(string: text))
            #expect(response.status == .badRequest)
            let reason = String(buffer: response.body)
            #expect(reason.count > 1)
            if !expectedInReason.isEmpty { #expect(reason.localizedCaseInsensitiveContains(expectedInReason)) }
        }
        #expect(try harness.store.rejections().count == 1)
    }

    @Test func emptyBodyIs400() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        try await harness.server.application().test(.router) { client in
            let response = try await client.execute(uri: "/tlsrpt", method: .post, headers: [.contentType: "application/tlsrpt+gzip"])
            #expect(response.status == .badRequest)
        }
    }

    @Test func bodyOverTheCapIs413() async throws {
        let harness = try Harness(maxBody: 1000)
        defer { harness.remove() }
        // A valid report, padded past the cap with white space after the JSON.
        let body = try Corpus.bytes(Corpus.googleJSON) + Array(repeating: UInt8(ascii: " "), count: 2000)
        try await harness.server.application().test(.router) { client in
            let response = try await client.execute(
                uri: "/tlsrpt", method: .post, headers: [.contentType: "application/tlsrpt+json"], body: ByteBuffer(body))
            #expect(response.status == .contentTooLarge)
        }
        #expect(try harness.storedReports().isEmpty)
        #expect(try harness.store.rejections().isEmpty)
    }

    @Test func gzipBombIs413() async throws {
        // 40 MiB of JSON-looking white space inflates past the 16 MiB cap; compressed it is about 40 KB.
        let harness = try Harness()
        defer { harness.remove() }
        var json = Array("{\"organization-name\":\"".utf8)
        json += Array(repeating: UInt8(ascii: "a"), count: 40 << 20)
        let bomb = Gzip.compress(json, level: 9)
        #expect(bomb.count < 1 << 20)
        try await harness.server.application().test(.router) { client in
            let response = try await client.execute(
                uri: "/tlsrpt", method: .post, headers: [.contentType: "application/tlsrpt+gzip"], body: ByteBuffer(bomb))
            #expect(response.status == .contentTooLarge)
        }
        #expect(try harness.store.rejections().isEmpty)
    }

    @Test(arguments: ["text/html", "multipart/form-data; boundary=x", "image/png", "text/plain"])
    func otherDeclaredContentTypeIs415(_ label: String) async throws {
        let harness = try Harness()
        defer { harness.remove() }
        let body = try Corpus.bytes(Corpus.googleJSON)
        try await harness.server.application().test(.router) { client in
            let response = try await client.execute(uri: "/tlsrpt", method: .post, headers: [.contentType: label], body: ByteBuffer(body))
            #expect(response.status == .unsupportedMediaType)
        }
        #expect(try harness.storedReports().isEmpty)
    }

    @Test func unsupportedContentEncodingIs415() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        try await harness.server.application().test(.router) { client in
            let response = try await client.execute(
                uri: "/tlsrpt", method: .post, headers: [.contentType: "application/tlsrpt+json", .contentEncoding: "br"],
                body: ByteBuffer(try Corpus.bytes(Corpus.googleJSON)))
            #expect(response.status == .unsupportedMediaType)
        }
    }

    @Test func policyDomainOutsideTheAllowlistIs422() async throws {
        let harness = try Harness(domains: ["Example.COM."])
        defer { harness.remove() }
        try await harness.server.application().test(.router) { client in
            let microsoft = try await client.execute(
                uri: "/tlsrpt", method: .post, headers: [.contentType: "application/tlsrpt+gzip"],
                body: ByteBuffer(try Corpus.bytes(Corpus.microsoftGzip)))
            #expect(microsoft.status == .unprocessableContent)
            #expect(String(buffer: microsoft.body).contains("example.org"))
            let google = try await client.execute(
                uri: "/tlsrpt", method: .post, headers: [.contentType: "application/tlsrpt+json"],
                body: ByteBuffer(try Corpus.bytes(Corpus.googleJSON)))
            #expect(google.status == .created)
        }
        #expect(try harness.storedReports().map(\.domains) == [["example.com"]])
    }

    @Test func reportWithoutPoliciesIs422WhenDomainsAreListed() async throws {
        let empty = Array(
            #"{"organization-name":"x","date-range":{"start-datetime":"2026-01-01T00:00:00Z","end-datetime":"2026-01-02T00:00:00Z"},"report-id":"r","policies":[]}"#
                .utf8)
        let harness = try Harness(domains: ["example.com"])
        defer { harness.remove() }
        try await harness.server.application().test(.router) { client in
            let response = try await client.execute(
                uri: "/tlsrpt", method: .post, headers: [.contentType: "application/tlsrpt+json"], body: ByteBuffer(empty))
            #expect(response.status == .unprocessableContent)
            let reason = String(buffer: response.body)
            #expect(reason.contains("no policies") && !reason.dropLast().contains("\n"))
        }
        #expect(try harness.storedReports().isEmpty)
    }

    @Test func metricsCanBeTurnedOffOnThePublicListener() async throws {
        let harness = try Harness(publicMetrics: false)
        defer { harness.remove() }
        try await harness.server.application().test(.router) { client in
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.status == .notFound)
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
        }
    }

    @Test func healthzAnswers200() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        try await harness.server.application().test(.router) { client in
            let response = try await client.execute(uri: "/healthz", method: .get)
            #expect(response.status == .ok)
        }
    }

    @Test func metricsCountRequestsReportsAndBytes() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        let body = try Corpus.bytes(Corpus.microsoftGzip)
        try await harness.server.application().test(.router) { client in
            for _ in 0..<2 {
                _ = try await client.execute(
                    uri: "/tlsrpt", method: .post, headers: [.contentType: "application/tlsrpt+gzip"], body: ByteBuffer(body))
            }
            _ = try await client.execute(uri: "/tlsrpt", method: .post, headers: [.contentType: "text/html"], body: ByteBuffer(string: "<p>"))
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = String(buffer: response.body)
            #expect(text.contains("tlsrpt_http_requests_total{status=\"201\"} 1"))
            #expect(text.contains("tlsrpt_http_requests_total{status=\"200\"} 1"))
            #expect(text.contains("tlsrpt_http_requests_total{status=\"415\"} 1"))
            #expect(text.contains("tlsrpt_reports_stored_total 1"))
            #expect(text.contains("tlsrpt_reports_duplicate_total 1"))
            #expect(text.contains("tlsrpt_http_request_body_bytes_total \(2 * body.count)"))
            let json = try Gzip.decompress(body, limit: 1 << 20)
            #expect(text.contains("tlsrpt_report_decompressed_bytes_total \(2 * json.count)"))
            #expect(text.contains("tlsrpt_http_request_duration_seconds_bucket"))
        }
    }

    @Test(arguments: [("/tlsrpt", HTTPRequest.Method.get), ("/tlsrpt", .put), ("/healthz", .post), ("/metrics", .delete)])
    func otherMethodOnAKnownPathIs405(_ path: String, _ method: HTTPRequest.Method) async throws {
        let harness = try Harness()
        defer { harness.remove() }
        try await harness.server.application().test(.router) { client in
            let response = try await client.execute(uri: path, method: method)
            #expect(response.status == .methodNotAllowed)
            #expect(response.headers[.allow] != nil)
        }
    }

    @Test(arguments: ["/", "/tlsrpt/extra", "/report", "/TLSRPT"])
    func otherPathIs404(_ path: String) async throws {
        let harness = try Harness()
        defer { harness.remove() }
        try await harness.server.application().test(.router) { client in
            let response = try await client.execute(uri: path, method: .post, body: ByteBuffer(try Corpus.bytes(Corpus.googleJSON)))
            #expect(response.status == .notFound)
        }
        #expect(try harness.storedReports().isEmpty)
    }
}
