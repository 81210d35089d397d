import Foundation
import TLSRPTTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue #8's fault tests: the database locked by another process, a read-only database, a full disk, and
/// processes racing or killed. After each, `tlsrpt check` must pass, every message must be on disk once,
/// and a rerun must store every report exactly once.
@Suite(.serialized)
struct FaultTests {
    static let messages = 300
    let dir = TemporaryDirectory("tlsrpt-fault")
    var maildir: String { dir.file("Maildir") }
    var db: String { dir.file("db.sqlite") }

    init() throws {
        for sub in ["cur", "new", "tmp"] {
            try FileManager.default.createDirectory(atPath: dir.file("Maildir/\(sub)"), withIntermediateDirectories: true)
        }
        // Each report carries a few failure details, so a batch is a few hundred KB of database pages.
        let details = (0..<10).map {
            #"{"result-type":"certificate-expired","sending-mta-ip":"192.0.2.\#($0)","receiving-mx-hostname":"mx\#($0).example.com","failed-session-count":\#($0 + 1)}"#
        }.joined(separator: ",")
        for id in 0..<Self.messages {
            let json = reportJSON(
                reportID: "\"fault-\(id)\"",
                policies:
                    #"[{"policy":{"policy-type":"sts","policy-domain":"example.com"},"summary":{"total-successful-session-count":\#(id + 1),"total-failure-session-count":55},"failure-details":[\#(details)]}]"#
            )
            try dir.write("Maildir/new/1700000000.M\(id)P1.host", ReportMessage.make(attachment: json, mediaType: "application/tlsrpt+json"))
        }
        // The database exists (with one report from the samples) before the fault is set up.
        let first = try TLSRPTProcess.run([
            "ingest", "--db", db, Fixtures.samples.appendingPathComponent("smallisp-2026-11-26-example.com.json").path,
        ])
        #expect(first.status == 0, "\(first.stderr)")
        let check = try TLSRPTProcess.run(["check", "--db", db]).stdout
        let numbers = check.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        baseline = (numbers.first ?? 0, numbers.dropFirst().first ?? 0)
    }

    /// Reports and policies in the database before the fault (the sample report).
    var baseline: (reports: Int, policies: Int) = (0, 0)

    func names(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "\(maildir)/\(folder)")) ?? [])
    }

    /// Every message still in new/ (the fault struck before anything was committed), none elsewhere.
    func expectUntouched() {
        #expect(names("new").count == Self.messages)
        #expect(names("cur").isEmpty)
        #expect(names(".Rejected/cur").isEmpty)
    }

    /// A rerun stores every report once, every message ends in cur/ once, and `tlsrpt check` passes.
    func expectRecoveredExactlyOnce() throws {
        let rerun = try TLSRPTProcess.run(["ingest", "--db", db, maildir])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let check = try TLSRPTProcess.run(["check", "--db", db])
        #expect(check.status == 0, "\(check.stdout) \(check.stderr)")
        // One report with one policy and ten failure details per message, on top of the sample.
        let expected = "ok: \(baseline.reports + Self.messages) reports, \(baseline.policies + Self.messages) policies"
        #expect(check.stdout.hasPrefix(expected), "\(check.stdout)")
        #expect(names("new").isEmpty)
        let cur = names("cur")
        #expect(cur.count == Self.messages)
        #expect(Set(cur.map { $0.replacingOccurrences(of: ":2,S", with: "") }).count == Self.messages)
        #expect(try TLSRPTProcess.run(["ingest", "--db", db, maildir]).stdout == "ingested 0, duplicates \(Self.messages), rejected 0\n")
    }

    /// Starts python3 holding `BEGIN EXCLUSIVE` on the database for `seconds`; returns once the lock is held.
    func holdExclusiveLock(seconds: Double) throws -> Process {
        let script = """
            import sqlite3, sys, time
            c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
            c.execute("BEGIN EXCLUSIVE")
            print("locked", flush=True)
            time.sleep(float(sys.argv[2]))
            c.execute("COMMIT")
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, db, String(seconds)]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let line = out.fileHandleForReading.availableData
        #expect(String(decoding: line, as: UTF8.self).hasPrefix("locked"))
        return process
    }

    @Test(.enabled(if: ExternalTools.hasPython3, ExternalTools.python3Absent)) func lockedForThreeSecondsWaitsThenSucceeds() throws {
        let lock = try holdExclusiveLock(seconds: 3)
        let started = Date()
        let ingest = try TLSRPTProcess.run(["ingest", "--db", db, maildir])
        let waited = Date().timeIntervalSince(started)
        lock.waitUntilExit()
        #expect(ingest.status == 0, "\(ingest.stderr)")
        #expect(ingest.stdout == "ingested \(Self.messages), duplicates 0, rejected 0\n")
        #expect(waited > 1.5, "the ingest should have waited for the lock (took \(waited) s)")
        try expectRecoveredExactlyOnce()
    }

    @Test(.enabled(if: ExternalTools.hasPython3, ExternalTools.python3Absent)) func lockedLongerThanTheBusyTimeoutFailsClearlyAndLosesNothing() throws {
        let lock = try holdExclusiveLock(seconds: 6)
        let ingest = try TLSRPTProcess.run(["ingest", "--db", db, "--busy-timeout", "1", maildir])
        #expect(ingest.status == 2)
        #expect(ingest.stderr.contains("locked by another process"), "\(ingest.stderr)")
        #expect(ingest.stderr.split(separator: "\n").count == 1, "\(ingest.stderr)")
        expectUntouched()

        // From standard input (an MTA pipe), the same failure is EX_TEMPFAIL, so the MTA retries later.
        let piped = try TLSRPTProcess.run(
            ["ingest", "--db", db, "--busy-timeout", "1", "-"], input: try Fixtures.sampleBytes("google-2026-11-22-example.com.eml"))
        #expect(piped.status == 75, "\(piped.stderr)")
        #expect(piped.stderr.contains("locked by another process"), "\(piped.stderr)")
        lock.waitUntilExit()
        try expectRecoveredExactlyOnce()
    }

    @Test func readOnlyDatabaseFailsClearlyAndLeavesTheInput() throws {
        // Root ignores file modes, so as root the ingest runs as nobody, who may move the messages but not
        // write the database or create files beside it.
        var wrapper: [String] = []
        if geteuid() == 0 {
            guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { return }
            wrapper = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
            try chownRecursively(maildir, to: 65534)
        } else {
            chmod(db, 0o444)
            chmod(dir.path, 0o555)
        }
        let ingest = try MeasuredProcess.run(["ingest", "--db", db, maildir], wrapper: wrapper)
        if geteuid() != 0 { chmod(dir.path, 0o755); chmod(db, 0o644) }
        #expect(ingest.status == 2, "\(ingest.stderr)")
        #expect(ingest.stderr.hasPrefix("tlsrpt: "), "\(ingest.stderr)")
        #expect(ingest.stderr.contains(db), "the message names the database: \(ingest.stderr)")
        #expect(ingest.stderrLines.count == 1, "\(ingest.stderr)")
        expectUntouched()
        try expectRecoveredExactlyOnce()
    }

    @Test func fullDiskFailsClearlyAndLeavesTheInputForTheNextRun() throws {
        // `ulimit -f` caps every file the process writes: the WAL outgrows it during the batch's commit.
        let size = try #require(try FileManager.default.attributesOfItem(atPath: db)[.size] as? Int)
        let blocks = size / 1024 + 64
        let wrapper = ["/bin/bash", "-c", "ulimit -f \(blocks); exec \"$@\"", "bash"]
        let ingest = try MeasuredProcess.run(["ingest", "--db", db, maildir], wrapper: wrapper)
        #expect(ingest.status == 2, "\(ingest.status) \(ingest.stderr)")
        #expect(ingest.stderr.hasPrefix("tlsrpt: cannot write to the database \(db)"), "\(ingest.stderr)")
        #expect(ingest.stderrLines.count == 1, "\(ingest.stderr)")
        expectUntouched()
        try expectRecoveredExactlyOnce()
    }

    /// A real ENOSPC, on a 512 KiB tmpfs, where this user may mount one (root in a container); skipped elsewhere.
    @Test func reallyFullDiskSaysSoAndLeavesTheInput() throws {
        let mountPoint = dir.file("small-disk")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        guard geteuid() == 0, Self.runs(["/bin/mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", mountPoint]) else { return }
        defer { _ = Self.runs(["/bin/umount", mountPoint]) }
        let smallDB = "\(mountPoint)/db.sqlite"
        let ingest = try TLSRPTProcess.run(["ingest", "--db", smallDB, maildir])
        #expect(ingest.status == 2, "\(ingest.status) \(ingest.stderr)")
        #expect(ingest.stderr == "tlsrpt: cannot write to the database \(smallDB): the disk is full\n")
        expectUntouched()
        let check = try TLSRPTProcess.run(["check", "--db", smallDB])
        #expect(check.status == 0, "\(check.stdout) \(check.stderr)")
        #expect(check.stdout.hasPrefix("ok: 0 reports"), "\(check.stdout)")
    }

    static func runs(_ command: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    @Test func twoProcessesRacingWhileOneIsKilledLoseAndDoubleNothing() throws {
        let first = try TLSRPTProcess.start(["ingest", "--db", db, maildir])
        let second = try TLSRPTProcess.start(["ingest", "--db", db, maildir])
        usleep(150_000)
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        second.waitUntilExit()
        #expect(second.terminationStatus == 0)
        #expect(names("new").count + names("cur").count == Self.messages)
        try expectRecoveredExactlyOnce()
    }

    func chownRecursively(_ path: String, to id: UInt32) throws {
        chown(path, id, id)
        for name in try FileManager.default.subpathsOfDirectory(atPath: path) {
            chown("\(path)/\(name)", id, id)
        }
    }
}
