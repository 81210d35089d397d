import Foundation
import TLSRPTCore
import TLSRPTPostgres
import TLSRPTStore
import TLSRPTTestSupport
import Testing

/// The read views a dashboard queries (docs/OPERATIONS.md), read with psql, a client that shares no code
/// with the store, against numbers worked out by hand.
@Suite(.enabled(if: PostgresTestServer.unavailableReason == nil, PostgresTestServer.unavailable))
struct ReadViewsTests {
    @Test func theDailyViewsCountWhatTheSummaryCounts() throws {
        let url = try PostgresTestServer.shared.makeDatabase()
        let store = try PostgresReportStore(url: try PostgresURL(url))
        try StoreContractTests.commit(
            store,
            [
                StoreContractTests.report(id: "r1", successful: 5, failed: 1),
                // Another version of r1, heavier: it counts, the first does not.
                StoreContractTests.report(id: "r1", successful: 50, failed: 10, contact: "y@google.com"),
                StoreContractTests.report(id: "r2", successful: 10, failed: 2, mx: "mx2.example.com", resultType: "starttls-not-supported"),
                try Fixtures.bytes("microsoft-sts-tlsa.json"),
            ])
        let server = PostgresTestServer.shared
        #expect(
            try server.query(url, "SELECT day, policy_domain, reports, successful_sessions, failed_sessions FROM tlsrpt_daily_domain ORDER BY 1, 2")
                == "2026-05-23|example.net|1|2|0\n2026-11-22|example.com|2|60|12")
        #expect(
            try server.query(url, "SELECT day, sender, policy_domain, reports, successful_sessions, failed_sessions FROM tlsrpt_daily_sender ORDER BY 1, 2")
                == "2026-05-23|Microsoft Corporation|example.net|1|2|0\n2026-11-22|Google Inc.|example.com|2|60|12")
        #expect(
            try server.query(url, "SELECT day, policy_domain, result_type, failed_sessions FROM tlsrpt_daily_result_type ORDER BY 1, 3")
                == "2026-11-22|example.com|certificate-expired|10\n2026-11-22|example.com|starttls-not-supported|2")
        #expect(
            try server.query(url, "SELECT day, policy_domain, mx_host, result_type, failed_sessions FROM tlsrpt_daily_mx_host ORDER BY 3")
                == "2026-11-22|example.com|mx1.example.com|certificate-expired|10\n2026-11-22|example.com|mx2.example.com|starttls-not-supported|2")
        // The same totals as the summary's cells.
        let cells = try store.summaryCells(ReportFilter())
        #expect(cells.sessions.map(\.successful).reduce(0, +) == 62 && cells.sessions.map(\.failed).reduce(0, +) == 12)
    }
}
