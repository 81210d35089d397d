import Foundation
import Hummingbird
import HummingbirdTesting
import TLSRPTExtract
import TLSRPTServer
import TLSRPTTestSupport
import Testing
import TLSRPTStore

/// Issue #12, findings 1–4 through the HTTPS endpoint (in process): counts whose sums pass 2^53 are a 400
/// with a one-line reason, a report of 100,000 receiving IPs (a 300 KB gzip) is stored without stalling,
/// one naming 3,000 MX hosts is stored folded, and the server goes on answering and storing.
struct HostileCountsOverHTTPSTests {
    @Test func overflowingAndFloodingReportsNeitherCrashNorStallTheEndpoint() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        try await harness.server.application().test(.router) { client in
            func post(_ body: [UInt8]) async throws -> (HTTPResponse.Status, String) {
                let response = try await client.execute(
                    uri: "/tlsrpt", method: .post, headers: [.contentType: "application/tlsrpt+gzip"],
                    body: ByteBuffer(bytes: Gzip.compress(body)))
                return (response.status, String(buffer: response.body))
            }
            for (name, body) in [
                ("1,024 details of 2^53 in one group", HostileCounts.overflowingGroup()),
                ("1,024 details of 2^53 over distinct information", HostileCounts.overflowingDistinctGroups()),
            ] {
                let (status, reason) = try await post(body)
                #expect(status == .badRequest, "\(name): \(status)")
                #expect(reason.contains("past 2^53") && !reason.dropLast().contains("\n"), "\(name): \(reason.prefix(300))")
            }
            let (ips, _) = try await post(HostileCounts.manyReceivingIPs(100_000))
            #expect(ips == .created)
            // Finding 4: 3,000 distinct MX hosts in one report are stored, folded past 1,000.
            let hosts = (0..<3_000).map {
                #"{"result-type":"certificate-expired","receiving-mx-hostname":"mx\#($0).flood.example","failed-session-count":1}"#
            }
            let flood = reportJSON(
                reportID: #""flood""#,
                policies: #"[{"policy":{"policy-type":"sts","policy-domain":"example.com"},"summary":{"total-successful-session-count":0,"#
                    + #""total-failure-session-count":3000},"failure-details":[\#(hosts.joined(separator: ","))]}]"#)
            let (flooded, _) = try await post(flood)
            #expect(flooded == .created)
            let (good, _) = try await post(HostileCounts.good())
            #expect(good == .created)
        }
        #expect(try harness.storedReports().count == 3)
        #expect(try harness.store.check().isEmpty)
    }
}
