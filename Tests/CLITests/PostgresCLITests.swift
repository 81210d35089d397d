import Foundation
import TLSRPTTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The real executable on a real PostgreSQL server (issue #17): the same outputs as SQLite on generated
/// corpora, migrations once when processes race on a new database, collectors on several "hosts" writing at
/// once, a connection killed mid-batch, and `copy` both ways.
@Suite(.enabled(if: PostgresTestServer.unavailableReason == nil && ExternalTools.hasPython3, PostgresTestServer.unavailable))
struct PostgresCLITests {
    let dir = TemporaryDirectory()

    func tlsrpt(_ arguments: [String], input: [UInt8]? = nil) throws -> ProcessRunner.Output {
        try TLSRPTProcess.run(arguments, input: input)
    }

    func python(_ script: String, _ arguments: [String]) throws -> ProcessRunner.Output {
        try ProcessRunner.run(command: "python3", [Fixtures.repositoryRoot.appendingPathComponent("Scripts/\(script)").path] + arguments)
    }

    func generate(_ name: String, _ arguments: [String]) throws -> String {
        let corpus = dir.file(name)
        let made = try python("gen-corpus", ["--out", corpus, "--quiet", "--end-date", "2026-11-29"] + arguments)
        try #require(made.status == 0, "\(made.stderr)")
        return corpus
    }

    /// Every output a person or a program reads, for one database, in a form two databases can be compared in:
    /// report ids (which each database numbers its own way) are cut off `reports`.
    func outputs(_ db: String, perDomain: String) throws -> [String: String] {
        var outputs: [String: String] = [:]
        let periods = [["--all"], ["--from", "2026-11-05", "--to", "2026-11-20T12:00:00Z"], ["--all", "--domain", "domain3.example"]]
        for (index, period) in periods.enumerated() {
            for format in ["text", "json", "csv", "markdown", "html"] {
                outputs["summary \(index) \(format)"] = try tlsrpt(["summary", "--db", db, "--format", format, "--top", "50"] + period).stdout
            }
        }
        outputs["failures"] = try tlsrpt(["failures", "--db", db, "--all", "--limit", "500"]).stdout
        outputs["reports"] = try tlsrpt(["reports", "--db", db]).stdout.split(separator: "\n").map { $0.replacing(/^\s*\d+/, with: "") }
            .sorted().joined(separator: "\n")
        outputs["rejects"] = try tlsrpt(["rejects", "--db", db]).stdout.replacing(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/, with: "TIME")
            .replacing(dir.path, with: "DIR").replacing("/twin/", with: "/corpus/")
        let digests = try tlsrpt(["summary", "--db", db, "--all", "--per-domain", perDomain])
        outputs["per-domain status"] = "\(digests.status)"
        for file in try FileManager.default.contentsOfDirectory(atPath: perDomain).sorted() {
            outputs["per-domain \(file)"] = try String(contentsOfFile: "\(perDomain)/\(file)", encoding: .utf8)
        }
        return outputs
    }

    func expectSame(_ a: [String: String], _ b: [String: String]) {
        #expect(a.keys.sorted() == b.keys.sorted())
        for key in a.keys.sorted() where a[key] != b[key] {
            Issue.record("\(key) differs:\n\(a[key]?.prefix(2000) ?? "")\n---\n\(b[key]?.prefix(2000) ?? "")")
        }
    }

    /// Issue #17: "the generated corpora give identical summary --format json and text on both". All formats,
    /// three periods, the drill-down, the listings and the per-domain digests; the JSON also against the
    /// independent oracle.
    @Test func aGeneratedCorpusReadsTheSameFromBothBackends() throws {
        // Two copies of the corpus (the same seed gives the same bytes): an ingest moves maildir messages.
        let arguments = ["--seed", "17", "--reports", "1500", "--domains", "12", "--format", "mixed", "--broken", "6", "--duplicates", "30", "--conflicts", "8"]
        let corpus = try generate("corpus", arguments)
        let twin = try generate("twin", arguments)
        let sqlite = dir.file("db.sqlite")
        let postgres = try PostgresTestServer.shared.makeDatabase()
        let intoSQLite = try tlsrpt(["ingest", "--db", sqlite, "--json", twin])
        let intoPostgres = try tlsrpt(["ingest", "--db", postgres, "--json", corpus])
        #expect(intoPostgres.status == 1 && intoPostgres.stdout == intoSQLite.stdout, "\(intoPostgres.stdout) \(intoSQLite.stdout)")
        let fromSQLite = try outputs(sqlite, perDomain: dir.file("digests-sqlite"))
        let fromPostgres = try outputs(postgres, perDomain: dir.file("digests-postgres"))
        expectSame(fromPostgres, fromSQLite)
        #expect(fromPostgres["summary 0 text"]?.contains("What to fix") == true)
        #expect(fromPostgres.keys.filter { $0.hasPrefix("per-domain ") }.count > 1)

        let expected = try python("expected-summary", ["--all", corpus])
        let json = try #require(try JSONSerialization.jsonObject(with: Data((fromPostgres["summary 0 json"] ?? "").utf8)) as? [String: Any])
        let oracle = try #require(try JSONSerialization.jsonObject(with: Data(expected.stdout.utf8)) as? [String: Any])
        for key in ["reports", "successful_sessions", "failed_sessions"] {
            #expect((json[key] as? Int) == (oracle[key] as? Int), "\(key)")
        }
        #expect((json["result_types"] as? [String: Int]) == (oracle["result_types"] as? [String: Int]))

        // A second run reads every input as seen.
        let again = try tlsrpt(["ingest", "--db", postgres, "--json", corpus])
        let tally = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        #expect(tally["ingested"] as? Int == 0 && tally["rejected"] as? Int == 0, "\(again.stdout)")
        #expect(try tlsrpt(["check", "--db", postgres]).status == 0)
    }

    /// Six processes opening one new database at once: every one succeeds, and each migration is recorded once.
    @Test func processesRacingOnANewDatabaseRunEachMigrationOnce() throws {
        let server = PostgresTestServer.shared
        for round in 0..<4 {
            let db = try server.makeDatabase()
            var running: [(Process, String)] = []
            for index in 0..<6 {
                let log = dir.file("race-\(round)-\(index).stderr")
                FileManager.default.createFile(atPath: log, contents: nil)
                let process = Process()
                process.executableURL = TLSRPTProcess.executable
                process.arguments = ["check", "--db", db]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle(forWritingAtPath: log)
                try process.run()
                running.append((process, log))
            }
            for (process, log) in running {
                process.waitUntilExit()
                #expect(process.terminationStatus == 0, "round \(round): \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
            }
            #expect(try server.query(db, "SELECT string_agg(version, ' ' ORDER BY version) FROM tlsrpt_migration") == "v1 v2-views")
            #expect(try server.query(db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == "10")
        }
    }

    /// Two `serve` behind a load balancer, a `watch` and an `ingest` on one database at once, every report
    /// POSTed to both endpoints and also dropped into the watched folder and ingested: each stored once, and
    /// the summary is what one plain ingest into SQLite gives (itself checked against the oracle elsewhere).
    @Test func collectorsOnSeveralHostsStoreEachReportOnce() throws {
        let corpus = try generate("corpus", ["--seed", "23", "--reports", "400", "--domains", "8", "--duplicates", "20", "--conflicts", "6"])
        let files = try FileManager.default.contentsOfDirectory(atPath: corpus).filter { $0.hasSuffix(".json.gz") }.sorted()
        try #require(files.count == 426)
        let db = try PostgresTestServer.shared.makeDatabase()
        #expect(try tlsrpt(["check", "--db", db]).status == 0)

        let serves = try (0..<2).map { try Serve(db: db, log: dir.file("serve-\($0).out")) }
        let watched = dir.file("incoming")
        try FileManager.default.createDirectory(atPath: watched, withIntermediateDirectories: true)
        let watch = try TLSRPTProcess.start(["watch", "--db", db, watched])
        usleep(500_000)

        let statuses = Tally()
        let endpoints = serves.map(\.endpoint)
        let ingest = try TLSRPTProcess.start(["ingest", "--db", db, corpus])
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for (index, file) in files.enumerated() where index % 4 == worker {
                for endpoint in endpoints {
                    let result = try? ProcessRunner.run(
                        command: "curl",
                        [
                            "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Content-Type: application/tlsrpt+gzip", "--data-binary",
                            "@\(corpus)/\(file)", endpoint,
                        ])
                    statuses.add(result?.stdout ?? "none")
                }
                // Written elsewhere and renamed in, as the watch asks.
                try? FileManager.default.copyItem(atPath: "\(corpus)/\(file)", toPath: "\(dir.path)/\(file).part")
                try? FileManager.default.moveItem(atPath: "\(dir.path)/\(file).part", toPath: "\(watched)/\(file)")
            }
        }
        ingest.waitUntilExit()
        #expect(ingest.terminationStatus == 0)
        // Every POST got 201 (new) or 200 (a duplicate); none failed.
        let counted = statuses.counts
        #expect(Set(counted.keys).isSubset(of: ["200", "201"]), "\(counted)")
        #expect(counted.values.reduce(0, +) == 2 * files.count)
        // The watch has read the last file when the seen-input count stops growing at the corpus size.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, (try? PostgresTestServer.shared.query(db, "SELECT count(*) FROM seen_input")) != "\(files.count)" {
            usleep(200_000)
        }
        for serve in serves { #expect(serve.stop() == 0) }
        kill(watch.processIdentifier, SIGTERM)
        watch.waitUntilExit()
        #expect(watch.terminationStatus == 0)

        let sqlite = dir.file("alone.sqlite")
        #expect(try tlsrpt(["ingest", "--db", sqlite, corpus]).status == 0)
        // 400 reports and 6 other versions of them; the 20 duplicates are stored once.
        #expect(try PostgresTestServer.shared.query(db, "SELECT count(*) FROM report") == "406")
        #expect(try PostgresTestServer.shared.query(db, "SELECT count(*) FROM report WHERE counts = 1") == "400")
        for format in ["json", "text"] {
            let shared = try tlsrpt(["summary", "--db", db, "--all", "--format", format])
            let alone = try tlsrpt(["summary", "--db", sqlite, "--all", "--format", format])
            #expect(shared.stdout == alone.stdout)
        }
        #expect(try tlsrpt(["check", "--db", db]).stdout.hasPrefix("ok: 406 reports"))
    }

    /// The server ends the connection while a batch waits inside its transaction: `ingest -` exits 75 (the
    /// MTA keeps the message and retries) and stores nothing; the retry stores the report once.
    @Test func aConnectionKilledMidBatchLosesAndDoublesNothing() throws {
        let server = PostgresTestServer.shared
        let db = try server.makeDatabase()
        #expect(try tlsrpt(["check", "--db", db]).status == 0)
        let report = try Fixtures.bytes("google.json")
        let holder = try holdReportTable(db)
        defer { if holder.isRunning { kill(holder.processIdentifier, SIGKILL) } }

        let out = dir.file("ingest.out")
        let inputFile = try dir.write("google.json", report)
        let ingest = Process()
        ingest.executableURL = URL(fileURLWithPath: "/bin/sh")
        ingest.arguments = ["-c", "exec \"$TLSRPT\" ingest --db '\(db)' - < '\(inputFile)' > '\(out)' 2>&1"]
        ingest.environment = ProcessInfo.processInfo.environment.merging(["TLSRPT": TLSRPTProcess.executable.path]) { $1 }
        try ingest.run()
        let killed = try terminateBatchWaitingOnTheLock(db)
        #expect(killed)
        ingest.waitUntilExit()
        let said = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        #expect(ingest.terminationStatus == 75, "\(said)")
        #expect(said.contains("lost the connection to the database"), "\(said)")
        try release(holder, db)

        #expect(try server.query(db, "SELECT count(*) FROM report") == "0")
        #expect(try server.query(db, "SELECT count(*) FROM seen_input") == "0")
        let retry = try tlsrpt(["ingest", "--db", db, "-"], input: report)
        #expect(retry.status == 0 && retry.stdout == "ingested 1, duplicates 0, rejected 0\n", "\(retry.stdout) \(retry.stderr)")
        let twice = try tlsrpt(["ingest", "--db", db, "-"], input: report)
        #expect(twice.stdout == "ingested 0, duplicates 1, rejected 0\n")
        #expect(try server.query(db, "SELECT count(*) FROM report") == "1")
        #expect(try tlsrpt(["check", "--db", db]).status == 0)
    }

    /// The same for the endpoint: the POST whose batch lost its connection is answered 503 (the sender
    /// retries), and the same `serve` reconnects for the next one, also when the server ended its idle ones.
    @Test func aServeWhoseConnectionIsKilledAnswers503AndReconnects() throws {
        let server = PostgresTestServer.shared
        let db = try server.makeDatabase()
        #expect(try tlsrpt(["check", "--db", db]).status == 0)
        let serve = try Serve(db: db, log: dir.file("serve.out"))
        let body = try dir.write("google.json", try Fixtures.bytes("google.json"))
        let post = ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Content-Type: application/tlsrpt+json", "--data-binary", "@\(body)", serve.endpoint]

        let holder = try holdReportTable(db)
        defer { if holder.isRunning { kill(holder.processIdentifier, SIGKILL) } }
        let status = Tally()
        let posting = Thread { status.add((try? ProcessRunner.run(command: "curl", post))?.stdout ?? "none") }
        posting.start()
        let killed = try terminateBatchWaitingOnTheLock(db)
        let activity = killed ? "" : try server.query(db, "SELECT pid, state, wait_event_type, query FROM pg_stat_activity WHERE datname = current_database()")
        #expect(killed, "\(activity)")
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline && status.counts.isEmpty { usleep(20_000) }
        #expect(status.counts == ["503": 1])
        try release(holder, db)

        #expect(try ProcessRunner.run(command: "curl", post).stdout == "201")
        #expect(try ProcessRunner.run(command: "curl", post).stdout == "200")
        #expect(try server.query(db, "SELECT count(*) FROM report") == "1")

        // The server ends the connections waiting idle in the pool (a restart, an idle timeout): the next POST
        // is stored on a new one, not sent down a dead one and waited on for ever.
        #expect(
            try server.query(
                db, "SELECT count(pg_terminate_backend(pid)) > 0 FROM pg_stat_activity WHERE datname = current_database() AND pid != pg_backend_pid()")
                == "t")
        let gzipped = try dir.write("microsoft.json.gz", try Fixtures.bytes("microsoft.json.gz"))
        let next = try ProcessRunner.run(
            command: "curl",
            [
                "-s", "--max-time", "30", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Content-Type: application/tlsrpt+gzip", "--data-binary",
                "@\(gzipped)", serve.endpoint,
            ])
        #expect(next.stdout == "201")
        #expect(try server.query(db, "SELECT count(*) FROM report") == "2")
        #expect(serve.stop() == 0)
    }

    /// And for `watch`: the batch that lost its connection is tried again, and the watch goes on.
    @Test func aWatchWhoseConnectionIsKilledTriesAgainAndGoesOn() throws {
        let server = PostgresTestServer.shared
        let db = try server.makeDatabase()
        #expect(try tlsrpt(["check", "--db", db]).status == 0)
        let watched = dir.file("incoming")
        try FileManager.default.createDirectory(atPath: watched, withIntermediateDirectories: true)
        let log = dir.file("watch.log")
        FileManager.default.createFile(atPath: log, contents: nil)
        let watch = Process()
        watch.executableURL = TLSRPTProcess.executable
        watch.arguments = ["watch", "--db", db, watched]
        watch.standardOutput = FileHandle.nullDevice
        watch.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try watch.run()
        defer { if watch.isRunning { kill(watch.processIdentifier, SIGKILL) } }
        usleep(500_000)

        let holder = try holdReportTable(db)
        defer { if holder.isRunning { kill(holder.processIdentifier, SIGKILL) } }
        try dir.write("google.json", try Fixtures.bytes("google.json"))
        try FileManager.default.moveItem(atPath: dir.file("google.json"), toPath: "\(watched)/google.json")
        #expect(try terminateBatchWaitingOnTheLock(db))
        try release(holder, db)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, try server.query(db, "SELECT count(*) FROM report") != "1" { usleep(100_000) }
        #expect(try server.query(db, "SELECT count(*) FROM report") == "1")
        #expect(watch.isRunning)
        kill(watch.processIdentifier, SIGTERM)
        watch.waitUntilExit()
        #expect(watch.terminationStatus == 0)
        let said = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(said.contains("lost the connection to the database") && said.contains("trying again in 1 s"), "\(said)")
    }

    /// A role or database that does not exist is said in the server's words, not as "try again later".
    @Test func aMissingRoleOrDatabaseIsSaidInTheServersWords() throws {
        let db = try PostgresTestServer.shared.makeDatabase()
        let parts = try #require(URLComponents(string: db))
        let base = "postgresql://\(parts.user ?? "")@\(parts.host ?? ""):\(parts.port ?? 0)"
        let role = try tlsrpt(["summary", "--db", "postgresql://no_such_role@\(parts.host ?? ""):\(parts.port ?? 0)\(parts.path)"])
        #expect(role.status == 2)
        #expect(role.stderr.hasSuffix(#": role "no_such_role" does not exist"# + "\n"), "\(role.stderr)")
        let database = try tlsrpt(["summary", "--db", "\(base)/no_such_database"])
        #expect(database.stderr == "tlsrpt: cannot open the database \(base)/no_such_database: database \"no_such_database\" does not exist\n")
    }

    /// `backup` is SQLite's; on PostgreSQL it says what to use instead, before connecting to anything.
    @Test func backupOfAPostgreSQLDatabaseSaysToUsePgDump() throws {
        let run = try tlsrpt(["backup", "--db", "postgresql://u:pw@127.0.0.1:1/tlsrpt", dir.file("copy.sqlite")])
        #expect(run.status == 2)
        #expect(
            run.stderr
                == "tlsrpt: postgresql://u:***@127.0.0.1:1/tlsrpt is a PostgreSQL database: back it up with pg_dump "
                + "(pg_dump -Fc -f tlsrpt.dump 'DBNAME'), or copy it into an SQLite file with 'tlsrpt copy --from URL --to FILE'\n")
        #expect(!FileManager.default.fileExists(atPath: dir.file("copy.sqlite")))
    }

    /// A psql session that holds the report table (once it does), so that a batch stops at its look-up,
    /// mid-transaction.
    func holdReportTable(_ db: String) throws -> Process {
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["psql", db, "-q", "-c", "BEGIN; LOCK TABLE report IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(120); COMMIT;"]
        holder.standardOutput = FileHandle.nullDevice
        holder.standardError = FileHandle.nullDevice
        try holder.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let held = try PostgresTestServer.shared.query(
                db,
                """
                SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                WHERE c.relname = 'report' AND l.mode = 'AccessExclusiveLock' AND l.granted
                """)
            if held == "1" { return holder }
            usleep(20_000)
        }
        throw CocoaError(.fileLocking)
    }

    /// Waits until a batch of ours waits for that lock, then ends its connection as a failing network or a
    /// restarting server would. True when one was ended.
    func terminateBatchWaitingOnTheLock(_ db: String) throws -> Bool {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let killed = try PostgresTestServer.shared.query(
                db,
                """
                SELECT COALESCE(bool_or(pg_terminate_backend(pid)), false) FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%unnest%'
                """)
            if killed == "t" { return true }
            usleep(50_000)
        }
        return false
    }

    /// Ends the holding session (and so its lock), of this test's database only: tests run side by side.
    func release(_ holder: Process, _ db: String) throws {
        _ = try PostgresTestServer.shared.query(
            db,
            """
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = current_database() AND query LIKE '%pg_sleep(120)%' AND pid != pg_backend_pid()
            """)
        holder.waitUntilExit()
    }

    /// `copy` from SQLite to PostgreSQL and back carries every report version, rejection and raw copy: the
    /// three databases read the same, and a second run copies nothing.
    @Test func copyRoundTripsExactly() throws {
        let corpus = try generate(
            "corpus", ["--seed", "29", "--reports", "600", "--domains", "6", "--format", "mixed", "--broken", "5", "--duplicates", "10", "--conflicts", "7"])
        let original = dir.file("original.sqlite")
        #expect(try tlsrpt(["ingest", "--db", original, corpus]).status == 1)
        let postgres = try PostgresTestServer.shared.makeDatabase()
        let back = dir.file("back.sqlite")

        let there = try tlsrpt(["copy", "--from", original, "--to", postgres])
        #expect(there.status == 0, "\(there.stderr)")
        #expect(there.stdout.hasPrefix("copied 607 report(s) (0 already there), 5 rejection(s), "), "\(there.stdout)")
        let again = try tlsrpt(["copy", "--from", original, "--to", postgres])
        #expect(again.stdout.hasPrefix("copied 0 report(s) (607 already there), 0 rejection(s), 0 seen-input hash(es)"), "\(again.stdout)")
        let home = try tlsrpt(["copy", "--from", postgres, "--to", back])
        #expect(home.status == 0 && home.stdout.hasPrefix("copied 607 report(s)"), "\(home.stdout)")

        let fromOriginal = try outputs(original, perDomain: dir.file("d0"))
        expectSame(try outputs(postgres, perDomain: dir.file("d1")), fromOriginal)
        expectSame(try outputs(back, perDomain: dir.file("d2")), fromOriginal)
        // The raw copies of rejected inputs came along: the same bytes.
        for db in [postgres, back] {
            #expect(try tlsrpt(["rejects", "--db", db, "--raw", "1"]).stdout == (try tlsrpt(["rejects", "--db", original, "--raw", "1"]).stdout))
        }
        // The inputs count as seen in the new home: nothing is ingested again.
        let rerun = try tlsrpt(["ingest", "--db", postgres, "--json", corpus])
        #expect(rerun.stdout.contains(#""ingested":0"#), "\(rerun.stdout)")
    }

    /// HTTP statuses counted from several threads.
    final class Tally: @unchecked Sendable {
        private let lock = NSLock()
        private var byStatus: [String: Int] = [:]
        var counts: [String: Int] { lock.withLock { byStatus } }
        func add(_ status: String) { lock.withLock { byStatus[status, default: 0] += 1 } }
    }

    /// A `serve` on plain HTTP, its URL read from what it prints.
    final class Serve {
        let process: Process
        let endpoint: String

        init(db: String, log: String) throws {
            FileManager.default.createFile(atPath: log, contents: nil)
            process = Process()
            process.executableURL = TLSRPTProcess.executable
            process.arguments = ["serve", "--db", db, "--listen", "127.0.0.1:0", "--plain-http"]
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            process.standardError = FileHandle.nullDevice
            try process.run()
            var url: String?
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline && url == nil {
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                url = text.split(separator: "\n").first { $0.hasPrefix("listening on ") }.map { String($0.dropFirst("listening on ".count)) }
                usleep(20_000)
            }
            endpoint = try #require(url)
        }

        func stop() -> Int32 {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
            return process.terminationStatus
        }
    }
}
