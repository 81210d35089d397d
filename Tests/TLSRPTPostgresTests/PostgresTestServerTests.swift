import Foundation
import TLSRPTTestSupport
import Testing

/// The throw-away PostgreSQL server the PostgreSQL store's tests stand on (Tests/Support/PostgresTestServer.swift):
/// databases made at the same time are distinct, empty and separate, and each answers psql, a client that
/// shares no code with ours.
@Suite(.enabled(if: PostgresTestServer.unavailableReason == nil, PostgresTestServer.unavailable))
struct PostgresTestServerTests {
    @Test func twoDatabasesAreDistinctEmptyAndEachAnswers() throws {
        // Two at once, as parallel tests ask.
        let made = LockedURLs()
        DispatchQueue.concurrentPerform(iterations: 2) { _ in made.append(Result { try PostgresTestServer.shared.makeDatabase() }) }
        let urls = try made.values.map { try $0.get() }
        #expect(urls.count == 2 && urls[0] != urls[1])

        let server = PostgresTestServer.shared
        for url in urls {
            #expect(url.hasPrefix("postgresql://"))
            let name = try #require(URL(string: url)?.lastPathComponent)
            #expect(try server.query(url, "SELECT 1") == "1")
            #expect(try server.query(url, "SELECT current_database()") == name)
            #expect(try server.query(url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == "0")
        }
        // A table made in one is not in the other.
        _ = try server.query(urls[0], "CREATE TABLE only_here (n integer)")
        #expect(try server.query(urls[0], "SELECT count(*) FROM pg_tables WHERE tablename = 'only_here'") == "1")
        #expect(try server.query(urls[1], "SELECT count(*) FROM pg_tables WHERE tablename = 'only_here'") == "0")
        // A failing statement throws with PostgreSQL's message.
        #expect(throws: PostgresTestServerError.self) { try server.query(urls[1], "SELECT * FROM only_here") }
    }

    final class LockedURLs: @unchecked Sendable {
        private let lock = NSLock()
        private var results: [Result<String, any Error>] = []
        var values: [Result<String, any Error>] { lock.withLock { results } }
        func append(_ result: Result<String, any Error>) { lock.withLock { results.append(result) } }
    }
}
