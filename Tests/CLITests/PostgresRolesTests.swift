import Foundation
import TLSRPTTestSupport
import Testing

/// The roles of docs/OPERATIONS.md, set up by Scripts/postgres-roles.sql as documented: the owner's first
/// start creates the schema, the collectors' role reads and writes rows without being able to create a table,
/// the dashboards' role reads the views only. Run on the throw-away server only: the script makes cluster-wide
/// roles with fixed names, which a server of yours (TLSRPT_TEST_POSTGRES_URL) should not get.
@Suite(
    .enabled(
        if: PostgresTestServer.unavailableReason == nil && ProcessInfo.processInfo.environment["TLSRPT_TEST_POSTGRES_URL"] == nil,
        PostgresTestServer.unavailable))
struct PostgresRolesTests {
    let dir = TemporaryDirectory()

    @Test func theOwnerMigratesTheWriterStoresTheReaderReadsTheViews() throws {
        let made = try #require(URLComponents(string: try PostgresTestServer.shared.makeDatabase()))
        let server = "\(made.host ?? "127.0.0.1"):\(made.port ?? 5432)"
        func url(_ role: String, _ database: String = "tlsrpt") -> String { "postgresql://\(role)@\(server)/\(database)" }
        let script = Fixtures.repositoryRoot.appendingPathComponent("Scripts/postgres-roles.sql").path
        func runScript() throws {
            let run = try ProcessRunner.run(command: "psql", [url(made.user ?? "tlsrpt", "postgres"), "-q", "-v", "ON_ERROR_STOP=1", "-f", script])
            try #require(run.status == 0, "\(run.stderr)")
        }
        try runScript()

        // Before the owner's first start the writer may not create the schema, and says who must.
        let early = try TLSRPTProcess.run(["check", "--db", url("tlsrpt_writer")])
        #expect(early.status == 2)
        #expect(
            early.stderr.contains("the database needs migration v1, v2-views, which this role may not create (permission denied for schema public)")
                && early.stderr.hasSuffix("run 'tlsrpt check' once as the database's owner (docs/OPERATIONS.md, \"Roles\")\n"), "\(early.stderr)")
        #expect(try TLSRPTProcess.run(["check", "--db", url("tlsrpt_owner")]).status == 0)
        try runScript()

        // The writer: an up-to-date database is only read, then rows are written.
        let ingest = try TLSRPTProcess.run(["ingest", "--db", url("tlsrpt_writer"), "-"], input: try Fixtures.bytes("google.json"))
        #expect(ingest.status == 0 && ingest.stdout == "ingested 1, duplicates 0, rejected 0\n", "\(ingest.stderr)")
        let summary = try TLSRPTProcess.run(["summary", "--db", url("tlsrpt_writer"), "--all", "--format", "json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(summary.stdout.utf8)) as? [String: Any])
        #expect(json["reports"] as? Int == 1)
        let drop = try ProcessRunner.run(command: "psql", [url("tlsrpt_writer"), "-c", "DROP TABLE report"])
        #expect(drop.status != 0 && drop.stderr.contains("must be owner"), "\(drop.stderr)")

        // The reader: the views, not the tables.
        let view = try ProcessRunner.run(command: "psql", [url("tlsrpt_reader"), "-At", "-c", "SELECT sum(reports) FROM tlsrpt_daily_domain"])
        #expect(view.stdout == "1\n", "\(view.stderr)")
        let table = try ProcessRunner.run(command: "psql", [url("tlsrpt_reader"), "-c", "SELECT count(*) FROM rejection"])
        #expect(table.status != 0 && table.stderr.contains("permission denied"), "\(table.stderr)")
    }
}
