import Foundation
import TLSRPTTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue #16 end to end, with the real binary: a watched maildir, a real HTTP receiver on loopback for the
/// webhook, a stand-in sendmail script, an alert command writing to a file.
@Suite(.enabled(if: ExternalTools.hasPython3, ExternalTools.python3Absent), .serialized)
struct AlertProcessTests {
    let dir = TemporaryDirectory()

    /// A running `tlsrpt watch`, its standard error in a file.
    final class Watch {
        let process: Process
        let log: String

        init(_ arguments: [String], log: String) throws {
            FileManager.default.createFile(atPath: log, contents: nil)
            process = Process()
            process.executableURL = TLSRPTProcess.executable
            process.arguments = ["watch"] + arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            process.standardInput = FileHandle.nullDevice
            self.log = log
            try process.run()
            // Ready once it has read what was there and said so.
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline, !((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("watching") { usleep(20_000) }
        }

        func stop() -> Int32 {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
            return process.terminationStatus
        }

        var text: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }
    }

    func maildir() throws -> String {
        let maildir = dir.file("Maildir")
        for sub in ["cur", "new", "tmp"] { try FileManager.default.createDirectory(atPath: "\(maildir)/\(sub)", withIntermediateDirectories: true) }
        return maildir
    }

    /// Delivers `bytes` as an MDA does (tmp/ then rename into new/) and returns when it was delivered.
    @discardableResult
    func deliver(_ bytes: [UInt8], as name: String, into maildir: String) throws -> Date {
        try dir.write("Maildir/tmp/\(name)", bytes)
        let at = Date()
        try FileManager.default.moveItem(atPath: "\(maildir)/tmp/\(name)", toPath: "\(maildir)/new/\(name)")
        return at
    }

    /// Waits (bounded) until the message has moved to cur/, that is until its report is committed; returns when.
    func waitUntilStored(_ name: String, in maildir: String, timeout: Double = 20) -> Date? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if ((try? FileManager.default.contentsOfDirectory(atPath: "\(maildir)/cur")) ?? []).contains(where: { $0.hasPrefix(name) }) {
                return Date()
            }
            usleep(5_000)
        }
        return nil
    }

    /// When `path` first exists (polled every 5 ms), within `timeout`.
    func waitForFile(_ path: String, timeout: Double = 20) -> Date? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: path) { return Date() }
            usleep(5_000)
        }
        return nil
    }

    /// Fourteen clean days (2026-11-08 to 2026-11-21) from Google, stored before the story begins.
    func cleanHistory(_ db: String) throws {
        for day in 8...21 {
            let date = String(format: "2026-11-%02d", day)
            try dir.write(
                "history/google-\(date).json",
                reportJSON(
                    reportID: "\"\(date)T00:00:00Z_example.com\"", start: "\(date)T00:00:00Z", end: "\(date)T23:59:59Z",
                    policies:
                        #"[{"policy":{"policy-type":"sts","policy-domain":"example.com","policy-string":["version: STSv1","mode: enforce","mx: mx1.example.com","mx: mx2.example.com","max_age: 604800"]},"summary":{"total-successful-session-count":1600,"total-failure-session-count":0}}]"#
                ))
        }
        let result = try TLSRPTProcess.run(["ingest", "--db", db, dir.file("history")])
        #expect(result.stdout == "ingested 14, duplicates 0, rejected 0\n")
    }

    /// A stand-in for sendmail: keeps each mail it is given (`sendmail -t -i` reads the recipients from To:).
    func standInSendmail() throws -> (script: String, folder: String) {
        let folder = dir.file("mails")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let script = try dir.write(
            "sendmail",
            "#!/bin/sh\n# stand-in: $@ are the options (-t -i)\ncat > \"\(folder)/mail.$$.tmp\" && mv \"\(folder)/mail.$$.tmp\" \"\(folder)/mail.$$\"\n"
        )
        chmod(script, 0o755)
        return (script, folder)
    }

    func files(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { !$0.hasSuffix(".tmp") }.sorted().map { "\(folder)/\($0)" }
    }

    @Test func theFailingMicrosoftReportInAWatchedMaildirAlertsOnEveryChannelOnce() throws {
        let db = dir.file("db.sqlite")
        let maildir = try maildir()
        try cleanHistory(db)
        let receiver = try WebhookReceiver(mode: .ok, folder: dir.url.appendingPathComponent("hook"))
        let (sendmail, mails) = try standInSendmail()
        let commands = dir.file("commands")
        try FileManager.default.createDirectory(atPath: commands, withIntermediateDirectories: true)
        // Each alert in a file of its own, with the variables beside it.
        let command = "f=\"\(commands)/alert.$$\"; env | grep '^TLSRPT_ALERT_' | sort > \"$f.env\"; cat > \"$f.tmp\" && mv \"$f.tmp\" \"$f.json\""
        let watch = try Watch(
            [
                "--db", db, "--alert-command", command, "--alert-webhook", receiver.url, "--alert-mail", "postmaster@example.com",
                "--sendmail", "\(sendmail) -t -i", maildir,
            ], log: dir.file("watch.log"))

        // Microsoft's first failing report.
        let delivered = try deliver(try Fixtures.sampleBytes("microsoft-2026-11-22-example.com.eml"), as: "1795305600.M1P1.mail", into: maildir)
        let stored = try #require(waitUntilStored("1795305600.M1P1.mail", in: maildir))
        var arrivals: [String: Date] = [:]
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline && arrivals.count < 3 {
            if arrivals["command"] == nil, !files(in: commands).filter({ $0.hasSuffix(".json") }).isEmpty { arrivals["command"] = Date() }
            if arrivals["webhook"] == nil, let first = receiver.received().first { arrivals["webhook"] = Date(timeIntervalSince1970: first.at) }
            if arrivals["mail"] == nil, !files(in: mails).isEmpty { arrivals["mail"] = Date() }
            usleep(5_000)
        }
        #expect(arrivals.count == 3, "channels reached: \(arrivals.keys.sorted()); log: \(watch.text)")
        let slowest = arrivals.values.max() ?? Date.distantFuture
        let delay = slowest.timeIntervalSince(delivered)
        print(
            String(
                format: "alert delay: delivered -> stored %.3f s; delivered -> alert on every channel %.3f s (command %.3f, webhook %.3f, mail %.3f)",
                stored.timeIntervalSince(delivered), delay, arrivals["command"]?.timeIntervalSince(delivered) ?? -1,
                arrivals["webhook"]?.timeIntervalSince(delivered) ?? -1, arrivals["mail"]?.timeIntervalSince(delivered) ?? -1))
        #expect(delay < 5, "the alert took \(delay) s")

        // What each channel was told names the host and the domain.
        let json = try #require(files(in: commands).first { $0.hasSuffix(".json") })
        let alert = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        #expect(alert["domains"] as? [String] == ["example.com"])
        #expect(alert["hosts"] as? [String] == ["mail.hoster-cdn.net"])
        #expect(alert["kind"] as? String == "new")
        #expect(alert["senders"] as? [String] == ["Microsoft Corporation"])
        #expect((alert["command"] as? String)?.hasPrefix("tlsrpt summary --domain example.com") == true)
        let env = try String(contentsOfFile: json.replacingOccurrences(of: ".json", with: ".env"), encoding: .utf8)
        #expect(env.contains("TLSRPT_ALERT_HOST=mail.hoster-cdn.net\n"))
        #expect(env.contains("TLSRPT_ALERT_DOMAINS=example.com\n"))
        let hook = try #require(receiver.received().first)
        let hookObject = try #require(try JSONSerialization.jsonObject(with: Data(hook.body.utf8)) as? [String: Any])
        let text = try #require(hookObject["text"] as? String)
        #expect(text.contains("Domains: example.com"))
        #expect(text.contains("Host: mail.hoster-cdn.net"))
        let mail = try String(contentsOfFile: try #require(files(in: mails).first), encoding: .utf8)
        #expect(mail.hasPrefix("To: postmaster@example.com\n"))
        #expect(mail.contains("\nSubject: [tlsrpt] critical: new problem for example.com on mail.hoster-cdn.net"))
        #expect(mail.contains("Full picture: tlsrpt summary --domain example.com"))

        // The same failure the next day: no alert. Then a clean report: none either.
        let nextDay = try Fixtures.sampleBytes("microsoft-2026-11-23-example.com.json.gz")
        try deliver(
            ReportMessage.make(attachment: nextDay, filename: "microsoft.com!example.com!1795392000!1795478399.json.gz"), as: "1795392000.M2P1.mail",
            into: maildir)
        #expect(waitUntilStored("1795392000.M2P1.mail", in: maildir) != nil)
        let clean = try Fixtures.sampleBytes("google-2026-11-24-example.com.json.gz")
        try deliver(ReportMessage.make(attachment: clean), as: "1795478400.M3P1.mail", into: maildir)
        #expect(waitUntilStored("1795478400.M3P1.mail", in: maildir) != nil)
        // The first alert took well under two seconds: wait as long again for any that should not come.
        usleep(2_000_000)
        #expect(watch.stop() == 0)
        #expect(files(in: commands).filter { $0.hasSuffix(".json") }.count == 1)
        #expect(receiver.received().count == 1)
        #expect(files(in: mails).count == 1)

        // Recorded: one alert, delivered on each channel at the first attempt.
        let listed = try TLSRPTProcess.run(["alerts", "--db", db, "--format", "json"])
        #expect(listed.status == 0)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 1)
        let deliveries = try #require(rows.first?["deliveries"] as? [[String: Any]])
        #expect(deliveries.map { $0["channel"] as? String } == ["command", "webhook", "mail"])
        #expect(deliveries.allSatisfy { $0["delivered"] as? Bool == true && $0["attempts"] as? Int == 1 })
        #expect(deliveries[1]["target"] as? String == "http://127.0.0.1:\(receiver.port)/…")
        #expect((rows.first?["alert"] as? [String: Any])?["host"] as? String == "mail.hoster-cdn.net")
        let textList = try TLSRPTProcess.run(["alerts", "--db", db])
        #expect(textList.stdout.contains("new problem: example.com on mail.hoster-cdn.net"))
        #expect(textList.stdout.contains("mail postmaster@example.com: delivered (1 attempt)"))
    }

    @Test func ingestFromAnAliasesPipeAlertsToo() throws {
        let db = dir.file("db.sqlite")
        try cleanHistory(db)
        let out = dir.file("alert.json")
        let result = try TLSRPTProcess.run(
            ["ingest", "--db", db, "--alert-command", "cat > '\(out)'", "-"], input: try Fixtures.sampleBytes("microsoft-2026-11-22-example.com.eml"))
        #expect(result.status == 0)
        #expect(result.stdout == "ingested 1, duplicates 0, rejected 0\n")
        let alert = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        #expect(alert["host"] as? String == "mail.hoster-cdn.net")
        #expect(alert["domains"] as? [String] == ["example.com"])
        // The same mail again (the MTA retried): a duplicate, no second alert.
        try FileManager.default.removeItem(atPath: out)
        let again = try TLSRPTProcess.run(
            ["ingest", "--db", db, "--alert-command", "cat > '\(out)'", "-"], input: try Fixtures.sampleBytes("microsoft-2026-11-22-example.com.eml"))
        #expect(again.stdout == "ingested 0, duplicates 1, rejected 0\n")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func aReportPostedToServeAlertsToo() throws {
        let db = dir.file("db.sqlite")
        try cleanHistory(db)
        let out = dir.file("alert.json")
        let stdout = dir.file("serve.out")
        FileManager.default.createFile(atPath: stdout, contents: nil)
        let serve = Process()
        serve.executableURL = TLSRPTProcess.executable
        serve.arguments = [
            "serve", "--db", db, "--listen", "127.0.0.1:0", "--plain-http", "--alert-command", "cat > '\(out).tmp' && mv '\(out).tmp' '\(out)'",
        ]
        serve.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdout))
        serve.standardError = FileHandle.nullDevice
        try serve.run()
        defer {
            kill(serve.processIdentifier, SIGTERM)
            serve.waitUntilExit()
        }
        // "listening on http://127.0.0.1:PORT/tlsrpt"
        var url: String?
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline && url == nil {
            let text = (try? String(contentsOfFile: stdout, encoding: .utf8)) ?? ""
            url = text.split(separator: "\n").first { $0.hasPrefix("listening on ") }.map { String($0.dropFirst("listening on ".count)) }
            usleep(20_000)
        }
        let endpoint = try #require(url)
        // Microsoft's report of 2026-11-23 as a sender POSTs it: the first failure after the clean days.
        let body = try dir.write("microsoft.json.gz", try Fixtures.sampleBytes("microsoft-2026-11-23-example.com.json.gz"))
        let posted = Date()
        let status = try ProcessRunner.run(
            command: "curl",
            ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Content-Type: application/tlsrpt+gzip", "--data-binary", "@\(body)", endpoint])
        #expect(status.stdout == "201")
        let alerted = try #require(waitForFile(out))
        print(String(format: "serve: POST -> alert %.3f s", alerted.timeIntervalSince(posted)))
        let alert = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        #expect(alert["host"] as? String == "mail.hoster-cdn.net")
        #expect(alert["domains"] as? [String] == ["example.com"])
    }

    @Test func hangingChannelsDoNotDelayStoringAndAreRecordedAsFailed() throws {
        let db = dir.file("db.sqlite")
        let maildir = try maildir()
        try cleanHistory(db)
        let receiver = try WebhookReceiver(mode: .hang, folder: dir.url.appendingPathComponent("hook"))
        let watch = try Watch(
            [
                "--db", db, "--alert-command", "sleep 60", "--alert-webhook", receiver.url, "--alert-timeout", "2", "--alert-attempts", "2",
                maildir,
            ], log: dir.file("watch.log"))
        let first = try deliver(try Fixtures.sampleBytes("microsoft-2026-11-22-example.com.eml"), as: "1795305600.M1P1.mail", into: maildir)
        let firstStored = try #require(waitUntilStored("1795305600.M1P1.mail", in: maildir))
        // The alert is being delivered (and hangs) when the next report arrives: it is stored as fast.
        #expect(waitForFile(receiver.folder.appendingPathComponent("0.json").path) != nil)
        let second = try deliver(
            ReportMessage.make(attachment: try Fixtures.sampleBytes("google-2026-11-24-example.com.json.gz")), as: "1795478400.M3P1.mail",
            into: maildir)
        let secondStored = try #require(waitUntilStored("1795478400.M3P1.mail", in: maildir))
        let storing = (firstStored.timeIntervalSince(first), secondStored.timeIntervalSince(second))
        print(String(format: "storing with hanging channels: first report %.3f s, next report during the hang %.3f s", storing.0, storing.1))
        #expect(storing.0 < 2 && storing.1 < 2)

        // Two attempts of 2 s each, 1 s apart, per channel: given up after about 5 s.
        let deadline = Date().addingTimeInterval(30)
        var deliveries: [[String: Any]] = []
        while Date() < deadline {
            let listed = try TLSRPTProcess.run(["alerts", "--db", db, "--format", "json"])
            let rows = (try? JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]]) ?? []
            deliveries = rows.first?["deliveries"] as? [[String: Any]] ?? []
            if deliveries.count == 2, deliveries.allSatisfy({ !($0["finished_at"] is NSNull) }) { break }
            usleep(200_000)
        }
        #expect(watch.stop() == 0)
        #expect(deliveries.count == 2)
        for delivery in deliveries {
            #expect(delivery["delivered"] as? Bool == false)
            #expect(delivery["attempts"] as? Int == 2)
            #expect((delivery["error"] as? String)?.contains("2 s") == true, "\(delivery)")
        }
        #expect(watch.text.contains("attempt 2 of 2"))
        // Both reports are stored.
        let reports = try TLSRPTProcess.run(["reports", "--db", db, "--from", "2026-11-22", "--to", "2026-11-25"])
        #expect(reports.stdout.contains("Microsoft Corporation"))
        #expect(reports.stdout.contains("Google"))
    }
}
