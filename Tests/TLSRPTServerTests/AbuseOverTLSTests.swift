import Foundation
import GRDB
import TLSRPTStore
import TLSRPTTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The built `tlsrpt serve` over real TLS, sent what a stranger on the Internet can send: reports for
/// other domains, bodies that fill the disk, reports that forge log lines. Driven by curl.
@Suite(.serialized)
struct AbuseOverTLSTests {
    /// A folder with a certificate, and a running server given `arguments` after the TLS and database ones.
    struct Setup {
        let folder: URL
        let cert: String
        let database: String
        let server: ServeOverTLSTests.RunningServer

        init(_ arguments: [String]) async throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("tlsrpt-abuse-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let (cert, key) = try await ServeOverTLSTests.makeCertificate(in: folder, name: "cert", commonName: "localhost")
            self.cert = cert
            database = folder.appendingPathComponent("reports.sqlite").path
            server = try await ServeOverTLSTests.RunningServer(
                executable: try ServeOverTLSTests.executable(),
                arguments: ["serve", "--db", database, "--listen", "127.0.0.1:0", "--tls-cert", cert, "--tls-key", key] + arguments,
                folder: folder)
        }

        var url: String { "https://localhost:\(server.port)/tlsrpt" }

        /// POSTs `body` and returns curl's status (0: no answer).
        func post(_ body: [UInt8], type: String = "application/tlsrpt+json") async throws -> Int {
            let file = folder.appendingPathComponent("body-\(UUID().uuidString)")
            try Data(body).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            return try await ProcessRunner.curlStatus(["--cacert", cert, "-H", "Expect:", "-H", "Content-Type: \(type)", "--data-binary", "@\(file.path)", url])
        }

        /// SIGTERM, and the exit status.
        func stop() async throws -> Int32? {
            server.signal(SIGTERM)
            return try await server.waitForExit(seconds: 15)
        }

        func remove() {
            if server.process.isRunning { server.process.terminate() }
            try? FileManager.default.removeItem(at: folder)
        }
    }

    static func report(organization: String = "G", policies: String) -> [UInt8] {
        let name = String(decoding: try! JSONSerialization.data(withJSONObject: [organization], options: []), as: UTF8.self).dropFirst().dropLast()
        return Array(
            #"{"organization-name":\#(name),"date-range":{"start-datetime":"2026-11-22T00:00:00Z","end-datetime":"2026-11-22T23:59:59Z"},"report-id":"r-\#(UUID().uuidString)","policies":\#(policies)}"#
                .utf8)
    }

    static func policy(_ domain: String) -> String {
        #"{"policy":{"policy-type":"sts","policy-domain":"\#(domain)"},"summary":{"total-successful-session-count":5,"total-failure-session-count":0}}"#
    }

    @Test func domainAllowlistRefusesEmptyPoliciesAndForeignDomains() async throws {
        let setup = try await Setup(["--domain", "example.com"])
        defer { setup.remove() }
        #expect(try await setup.post(Self.report(policies: "[]")) == 422)
        #expect(try await setup.post(Self.report(policies: "[\(Self.policy("other.example"))]")) == 422)
        #expect(try await setup.post(Self.report(policies: "[\(Self.policy("example.com")),\(Self.policy("other.example"))]")) == 422)
        #expect(try await setup.post(Self.report(policies: "[\(Self.policy("example.com"))]")) == 201)
        #expect(try await setup.stop() == 0)
        let store = try ReportStore(path: setup.database)
        #expect(try store.reports(ReportFilter()).map(\.domains) == [["example.com"]])
    }

    @Test func undecodableBodiesKeepBoundedPreviewsUnderATotalCap() async throws {
        let cap = 256 << 10
        let setup = try await Setup(["--reject-copies-max", "256K"])
        defer { setup.remove() }
        // The database as a fresh server leaves it: schema only.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            let body = (0..<(1 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(try await setup.post(body, type: "application/octet-stream") == 400)
        }
        let metrics = try await ProcessRunner.run("/usr/bin/curl", ["-s", "--cacert", setup.cert, "https://localhost:\(setup.server.port)/metrics"])
        #expect(metrics.stdout.contains("tlsrpt_rejection_copies_dropped_total 16"), "\(metrics.stdout)")
        #expect(try await setup.stop() == 0)

        // 20 MiB was sent; the database keeps 4 previews of 64 KiB (the cap) and the 20 reasons. Its live
        // pages say what it holds; the files on disk may also hold pages freed by dropped copies and a
        // write-ahead log SQLite has not truncated yet, both reused, so they stay far below what was sent.
        let live = try Self.livePageBytes(setup.database)
        #expect(live < cap + (1 << 20), "the database holds \(live) bytes in live pages")
        let onDisk = ((try? FileManager.default.attributesOfItem(atPath: setup.database)[.size] as? Int) ?? 0)
            + ((try? FileManager.default.attributesOfItem(atPath: setup.database + "-wal")[.size] as? Int) ?? 0)
        #expect(onDisk < 8 << 20, "the database files take \(onDisk) bytes of the 20 MiB sent")
        let store = try ReportStore(path: setup.database)
        let rejections = try store.rejections()
        #expect(rejections.count == 20)
        #expect(rejections.filter(\.hasRawCopy).count == 4)
        // The oldest copies went first; their rows say so.
        #expect(rejections.prefix(16).allSatisfy { !$0.hasRawCopy && ($0.keptAt ?? "").contains("dropped") })
        let kept = try #require(rejections.last)
        #expect(try store.rejectedInput(id: kept.id)?.count == 64 << 10)
        #expect((kept.keptAt ?? "").contains("first 65536 of 1048576 bytes"))
        // And `tlsrpt rejects` shows it to a person.
        let listing = try await ProcessRunner.run(try ServeOverTLSTests.executable(), ["rejects", "--db", setup.database])
        #expect(listing.stdout.contains("raw copy was dropped"))
    }

    /// The bytes of the pages that hold data: all pages less the free list.
    static func livePageBytes(_ path: String) throws -> Int {
        let queue = try DatabaseQueue(path: path)
        return try queue.read { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            let free = try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0
            let size = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0
            return (pages - free) * size
        }
    }

    @Test func controlCharactersInAReportCannotForgeLogLines() async throws {
        let setup = try await Setup([])
        defer { setup.remove() }
        let evil = "Evil\r\nINFO forged: status=201 report=fake\u{1B}[2J\u{1B}]0;owned\u{07}"
        #expect(try await setup.post(Self.report(organization: evil, policies: "[\(Self.policy("example.com"))]")) == 201)
        // A reason that quotes the sender: a bad date with CR/LF in it.
        let badDate = Array(
            String(decoding: Self.report(organization: "x", policies: "[\(Self.policy("example.com"))]"), as: UTF8.self)
                .replacingOccurrences(of: "2026-11-22T00:00:00Z", with: "2026\\r\\nINFO forged\\u001b[31m").utf8)
        #expect(try await setup.post(badDate) == 400)
        #expect(try await setup.stop() == 0)
        let log = setup.server.log
        #expect(!log.contains("\u{1B}"), "an ESC reached the log")
        #expect(!log.contains("\r"))
        let lines = log.split(separator: "\n", omittingEmptySubsequences: false)
        // Every line is one of serve's own: none begins with the forged text.
        #expect(!lines.contains { $0.hasPrefix("INFO forged") })
        let stored = lines.filter { $0.contains("status=201") }
        #expect(stored.count == 1)
        #expect(stored.first?.contains("Evil??INFO forged: status=201 report=fake?[2J?]0;owned?") == true, "\(stored)")
    }

    @Test func metricsCanMoveToTheirOwnListener() async throws {
        let setup = try await Setup(["--metrics-listen", "127.0.0.1:0"])
        defer { setup.remove() }
        let metricsPort = try #require(setup.server.metricsPort)
        let own = try await ProcessRunner.run("/usr/bin/curl", ["-s", "-w", "\n%{http_code}", "http://127.0.0.1:\(metricsPort)/metrics"])
        #expect(own.stdout.hasSuffix("\n200"))
        #expect(own.stdout.contains("tlsrpt_http_requests_total"))
        let onPublic = try await ProcessRunner.curlStatus(["--cacert", setup.cert, "https://localhost:\(setup.server.port)/metrics"])
        #expect(onPublic == 404)
        #expect(try await ProcessRunner.curlStatus(["--cacert", setup.cert, "https://localhost:\(setup.server.port)/healthz"]) == 200)
        #expect(try await setup.stop() == 0)
    }
}
