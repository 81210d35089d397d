import Foundation
import TLSRPTTestSupport
import Testing

/// End-to-end: the real executable, its output and exit codes, as cron and scripts see them.
struct CLITests {
    let dir = TemporaryDirectory()
    var db: String { dir.file("db.sqlite") }

    func tlsrpt(_ arguments: [String], input: [UInt8]? = nil) throws -> TLSRPTProcess.Output {
        try TLSRPTProcess.run(arguments, input: input)
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func helpExplainsTheCommands() throws {
        let help = try tlsrpt(["--help"])
        #expect(help.status == 0)
        for command in ["ingest", "summary", "reports", "show", "rejects"] {
            #expect(help.stdout.contains(command))
        }
        #expect(try tlsrpt(["ingest", "--help"]).stdout.contains("EX_TEMPFAIL"))
    }

    /// A new database holds whole rejected mails: under the usual umask 022 it is the owner's alone; under a
    /// umask that lets the group write (the units' 0007, or 0) the group's too; never anyone else's.
    @Test(arguments: [("022", 0o600, 0o700), ("077", 0o600, 0o700), ("0007", 0o660, 0o770), ("0", 0o660, 0o770)])
    func aNewDatabaseIsNeverWorldReadable(umask: String, file: Int, folder: Int) throws {
        let path = dir.file("umask-\(umask)/data/db.sqlite")
        let shell = try TLSRPTProcess.runShell("umask \(umask) && exec \"$TLSRPT\" ingest --db '\(path)' '\(Fixtures.samples.appendingPathComponent("mailru-2026-11-25-example.com.json").path)'")
        #expect(shell.status == 0, "\(shell.stderr)")
        let mode = { (path: String) in (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1 }
        #expect(mode(path) == file, "umask \(umask): the database is \(String(mode(path), radix: 8))")
        #expect(mode(path + "-wal") == file || !FileManager.default.fileExists(atPath: path + "-wal"))
        #expect(mode(dir.file("umask-\(umask)/data")) == folder)
        #expect(mode(dir.file("umask-\(umask)")) == folder)
    }

    @Test func usageErrorsExit2() throws {
        let result = try tlsrpt(["summary", "--db", db, "--since", "forever"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--since 'forever' is not a duration"))
        #expect(try tlsrpt(["ingest", "--db", db]).status == 2)
        #expect(try tlsrpt(["summary", "--db", db, "--from", "2026-01-01"]).status == 2)
    }

    @Test func ingestExitsOneAndNamesEveryRejectedInput() throws {
        let input = dir.file("in")
        try dir.write("in/a.json", reportJSON(reportID: "\"a\""))
        try dir.write("in/b.json", reportJSON(reportID: "\"b\""))
        try dir.write("in/broken-1.json", "{")
        try dir.write("in/broken-2.json.gz", [0x1F, 0x8B, 0x08, 0, 1, 2, 3])
        let first = try tlsrpt(["ingest", "--db", db, "--json", input])
        #expect(first.status == 1)
        let tally = try json(first.stdout)
        #expect(tally["ingested"] as? Int == 2 && tally["duplicates"] as? Int == 0 && tally["rejected"] as? Int == 2)
        let lines = first.stderr.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.contains { $0.hasPrefix("\(input)/broken-1.json: ") })
        #expect(lines.contains { $0.hasPrefix("\(input)/broken-2.json.gz: ") })

        let second = try tlsrpt(["ingest", "--db", db, input])
        #expect(second.status == 0)
        #expect(second.stdout == "ingested 0, duplicates 4, rejected 0\n")
        // The two known-bad files are not reports already stored: the rerun says so, exit status unchanged.
        #expect(second.stderr == "note: 2 inputs were rejected before and skipped again (counted as duplicates); tlsrpt rejects shows why\n")

        let rejects = try tlsrpt(["rejects", "--db", db])
        #expect(rejects.stdout.contains("\(input)/broken-1.json"))
        #expect(rejects.stdout.contains("kept at: \(input)/broken-1.json"))
    }

    @Test func summaryJSONHasTheStableKeysAndHandComputedNumbers() throws {
        // Google: 5 ok / 1 failed (certificate-expired 1); Microsoft: sts 7/3 and tlsa 7/3, the same sessions,
        // with certificate-host-mismatch 3 on the sts policy; a third report for example.org: 4/0.
        try dir.write(
            "in/g.json",
            reportJSON(
                policies:
                    #"[{"policy":{"policy-type":"sts","policy-domain":"example.com"},"summary":{"total-successful-session-count":5,"total-failure-session-count":1},"failure-details":[{"result-type":"certificate-expired","receiving-mx-hostname":"mx1.example.com","failed-session-count":1}]}]"#
            ))
        try dir.write(
            "in/m.json",
            reportJSON(
                organization: #""Microsoft Corporation""#, reportID: #""1+example.com""#,
                policies:
                    #"[{"policy":{"policy-type":"sts","policy-domain":"example.com"},"summary":{"total-successful-session-count":7,"total-failure-session-count":3},"failure-details":[{"result-type":"certificate-host-mismatch","receiving-mx-hostname":"MAIL.hoster-cdn.net.","failed-session-count":3}]},{"policy":{"policy-type":"tlsa","policy-domain":"example.com"},"summary":{"total-successful-session-count":7,"total-failure-session-count":3}}]"#
            ))
        try dir.write(
            "in/o.json",
            reportJSON(
                reportID: #""o""#, start: "2026-11-25T00:00:00Z", end: "2026-11-25T23:59:59Z",
                policies:
                    #"[{"policy":{"policy-type":"no-policy-found","policy-domain":"example.org"},"summary":{"total-successful-session-count":4,"total-failure-session-count":0}}]"#
            ))
        #expect(try tlsrpt(["ingest", "--db", db, dir.file("in")]).status == 0)
        let result = try tlsrpt(["summary", "--db", db, "--all", "--format", "json"])
        #expect(result.status == 0)
        let summary = try json(result.stdout)
        #expect(summary["from"] as? String == "2026-11-22T00:00:00Z")
        #expect(summary["to"] as? String == "2026-11-25T23:59:59Z")
        #expect(summary["reports"] as? Int == 3)
        #expect(summary["successful_sessions"] as? Int == 16)
        #expect(summary["failed_sessions"] as? Int == 4)
        #expect(summary["result_types"] as? [String: Int] == ["certificate-expired": 1, "certificate-host-mismatch": 3])
        let senders = try #require(summary["senders"] as? [[String: Any]])
        let microsoft = try #require(senders.first { $0["organization"] as? String == "Microsoft Corporation" })
        #expect(microsoft["reports"] as? Int == 1 && microsoft["successful_sessions"] as? Int == 7 && microsoft["failed_sessions"] as? Int == 3)
        let domains = try #require(summary["policy_domains"] as? [[String: Any]])
        let exampleCom = try #require(domains.first { $0["domain"] as? String == "example.com" })
        #expect(exampleCom["reports"] as? Int == 2 && exampleCom["successful_sessions"] as? Int == 12 && exampleCom["failed_sessions"] as? Int == 4)

        // Filters: one domain; one sender; a period that holds only the 25th.
        let org = try json(try tlsrpt(["summary", "--db", db, "--all", "--format", "json", "--domain", "EXAMPLE.ORG."]).stdout)
        #expect(org["reports"] as? Int == 1 && org["successful_sessions"] as? Int == 4)
        let ms = try json(try tlsrpt(["summary", "--db", db, "--all", "--format", "json", "--sender", "Microsoft Corporation"]).stdout)
        #expect(ms["reports"] as? Int == 1 && ms["failed_sessions"] as? Int == 3)
        let late = try json(
            try tlsrpt(["summary", "--db", db, "--from", "2026-11-23", "--to", "2026-11-26", "--format", "json"]).stdout)
        #expect(late["reports"] as? Int == 1 && late["from"] as? String == "2026-11-23T00:00:00Z")

        let text = try tlsrpt(["summary", "--db", db, "--all"]).stdout
        #expect(text.contains("4 of 20 sessions failed (20.0%)"))
        #expect(text.contains("mail.hoster-cdn.net"))
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= 100 })
        #expect(try tlsrpt(["summary", "--db", db, "--all", "--fail-above", "10"]).status == 3)
        #expect(try tlsrpt(["summary", "--db", db, "--all", "--fail-above", "25"]).status == 0)
    }

    @Test func quietIfCleanPrintsNothingForACleanPeriod() throws {
        try dir.write(
            "in/clean.json",
            reportJSON(
                policies:
                    #"[{"policy":{"policy-type":"sts","policy-domain":"example.com"},"summary":{"total-successful-session-count":9,"total-failure-session-count":0}}]"#
            ))
        _ = try tlsrpt(["ingest", "--db", db, dir.file("in")])
        let quiet = try tlsrpt(["summary", "--db", db, "--all", "--quiet-if-clean"])
        #expect(quiet.status == 0 && quiet.stdout.isEmpty)
        #expect(try tlsrpt(["summary", "--db", db, "--all"]).stdout.contains("example.com: all 9 sessions succeeded"))
    }

    @Test func ingestFromStandardInputFitsAnMTA() throws {
        let stored = try tlsrpt(
            ["ingest", "--db", db, "-"], input: ReportMessage.make(attachment: reportJSON(), mediaType: "application/tlsrpt+json"))
        #expect(stored.status == 0 && stored.stdout == "ingested 1, duplicates 0, rejected 0\n")
        let again = try tlsrpt(["ingest", "--db", db, "-"], input: reportJSON())
        #expect(again.status == 0 && again.stdout == "ingested 0, duplicates 1, rejected 0\n")
        let garbage = try tlsrpt(["ingest", "--db", db, "-"], input: Array("hello".utf8))
        #expect(garbage.status == 0)  // recorded with its bytes; the sender must not get a bounce
        #expect(try tlsrpt(["rejects", "--db", db, "--raw", "1"]).stdout == "hello")
        // The database cannot be created: EX_TEMPFAIL so the MTA retries.
        try dir.write("file", "x")
        let unwritable = try tlsrpt(["ingest", "--db", dir.file("file/db.sqlite"), "-"], input: reportJSON())
        #expect(unwritable.status == 75)
        #expect(unwritable.stderr.hasPrefix("tlsrpt: "))
    }

    @Test func theDatabaseDefaultsToTheXDGDataFolder() throws {
        let result = try TLSRPTProcess.run(["ingest", "-"], input: reportJSON(), environment: ["XDG_DATA_HOME": dir.file("xdg")])
        #expect(result.status == 0)
        #expect(FileManager.default.fileExists(atPath: dir.file("xdg/tlsrpt/tlsrpt.sqlite")))
        let viaEnv = try TLSRPTProcess.run(
            ["summary", "--all", "--format", "json"], environment: ["TLSRPT_DB": dir.file("xdg/tlsrpt/tlsrpt.sqlite")])
        #expect(try json(viaEnv.stdout)["reports"] as? Int == 1)
    }

    @Test func reportsAndShow() throws {
        try dir.write("in/ms.json", reportJSON(organization: #""Microsoft Corporation""#, start: "2023-01-10T00:00:00", end: "2023-01-10T23:59:59"))
        _ = try tlsrpt(["ingest", "--db", db, dir.file("in")])
        let list = try tlsrpt(["reports", "--db", db])
        #expect(list.stdout.contains("2023-01-10") && list.stdout.contains("Microsoft Corporation"))
        let show = try tlsrpt(["show", "--db", db, "1"])
        #expect(show.status == 0)
        #expect(show.stdout.contains("start-datetime has no time zone; read as UTC"))
        #expect(show.stdout.contains("\"organization-name\": \"Microsoft Corporation\""))
        #expect(try tlsrpt(["show", "--db", db, "99"]).status == 1)
    }
}

/// `--db` takes an SQLite path or a PostgreSQL URL; a URL of another kind is refused with a reason, not made
/// into a folder, and a PostgreSQL server that cannot be reached is a temporary failure that hides the password.
struct DatabaseURLTests {
    let dir = TemporaryDirectory()

    @Test(arguments: ["mysql://tlsrpt@db.example/tlsrpt", "sqlite://localhost/tlsrpt"])
    func aURLOfAnotherKindIsRefusedAndNothingIsCreated(url: String) throws {
        let scheme = String(url.prefix { $0 != ":" })
        let run = try TLSRPTProcess.runShell("cd '\(dir.path)' && exec \"$TLSRPT\" summary --db '\(url)'")
        #expect(run.status == 2)
        #expect(
            run.stderr == "tlsrpt: \(scheme)://… is a database URL of a kind tlsrpt does not store in: give --db (or TLSRPT_DB) the path of "
                + "an SQLite file, or a postgresql:// URL\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
        let piped = try TLSRPTProcess.runShell("cd '\(dir.path)' && TLSRPT_DB='\(url)' exec \"$TLSRPT\" ingest - </dev/null")
        #expect(piped.status == 75, "a mail pipe is told to retry, as when the database cannot be opened")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    /// Port 1 on loopback: nothing listens there, so the connection is refused at once.
    @Test(arguments: ["postgresql://collector:s3cret@127.0.0.1:1/tlsrpt?sslmode=disable", "postgres://collector:s3cret@127.0.0.1:1/tlsrpt"])
    func anUnreachableServerIsATemporaryFailureThatHidesThePassword(url: String) throws {
        let run = try TLSRPTProcess.runShell("cd '\(dir.path)' && exec \"$TLSRPT\" summary --db '\(url)'")
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("tlsrpt: cannot connect to the database postgresql://collector:***@127.0.0.1:1/tlsrpt: "), "\(run.stderr)")
        #expect(run.stderr.hasSuffix("; try again later\n"), "\(run.stderr)")
        #expect(!run.stderr.contains("s3cret"))
        let piped = try TLSRPTProcess.runShell("cd '\(dir.path)' && TLSRPT_DB='\(url)' exec \"$TLSRPT\" ingest - </dev/null")
        #expect(piped.status == 75, "a mail pipe is told to retry")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test(arguments: [
        ("postgresql://u@127.0.0.1:99999/db", "the port 99999 of the database URL is not a number from 1 to 65535"),
        ("postgresql://u@127.0.0.1/db?sslmode=sometimes", "sslmode=sometimes is not one of disable, allow, prefer, require, verify-ca, verify-full"),
        ("postgresql://u@127.0.0.1/db?fallback=1", "the database URL parameter fallback is not supported"),
    ])
    func aMalformedPostgreSQLURLSaysWhatIsWrong(url: String, message: String) throws {
        let run = try TLSRPTProcess.runShell("exec \"$TLSRPT\" summary --db '\(url)'")
        #expect(run.status == 2)
        #expect(run.stderr == "tlsrpt: \(message)\n")
    }

    @Test func aPathWithAColonIsStillAPath() throws {
        let run = try TLSRPTProcess.runShell("cd '\(dir.path)' && exec \"$TLSRPT\" summary --db 'reports:2026.sqlite'")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.file("reports:2026.sqlite")))
    }
}
