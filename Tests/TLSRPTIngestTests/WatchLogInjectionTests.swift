#if os(Linux)
    import Foundation
    import Testing
    import TLSRPTTestSupport

    /// Issue #12, finding 6: a file name (or a reason quoting one) with CR, LF or ESC must not forge a line of
    /// the watch's log, which systemd's journal keeps line by line.
    @Suite(.serialized) struct WatchLogInjectionTests {
        @Test(.timeLimit(.minutes(1))) func aHostileFileNameIsLoggedAsOneSanitisedLine() throws {
            let binary = TLSRPTProcess.executable.path
            try #require(FileManager.default.isExecutableFile(atPath: binary), "no tlsrpt binary at \(binary): run 'swift build' first")
            let base = try WatchFixture.temporaryFolder("log-injection")
            let drop = "\(base)/drop"
            try FileManager.default.createDirectory(atPath: drop, withIntermediateDirectories: true)

            let log = "\(base)/watch.log"
            let process = try WatchFixture.startWatch(binary, ["--db", "\(base)/db.sqlite", drop], log: log)
            defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
            let logText = { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }
            #expect(WatchFixture.wait(upTo: .seconds(20)) { logText().contains("input(s) to read") })

            // Not a report, so it is rejected and its name goes into a log line.
            let name = "evil\n2026-12-01T00:00:00+0000 critical tlsrpt : forged\u{1B}[2J\u{202E}.json"
            try WatchFixture.write("{ not json", to: "\(drop)/\(name)")
            #expect(WatchFixture.wait(upTo: .seconds(20)) { logText().contains("rejected") }, "no rejection logged: \(logText())")
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()

            let text = logText()
            #expect(!text.contains("\u{1B}"), "an escape sequence reached the log")
            #expect(!text.contains("\u{202E}"), "a bidi override reached the log")
            let rejected = text.split(separator: "\n").filter { $0.contains("rejected") && $0.contains("evil") }
            #expect(rejected.count == 1, "\(text)")
            #expect(rejected.first?.contains("evil?2026-12-01T00:00:00+0000 critical tlsrpt : forged?[2J?.json") == true, "\(text)")
            #expect(!text.split(separator: "\n").contains { $0.hasPrefix("2026-12-01T00:00:00+0000 critical") }, "a forged line")
        }
    }
#endif
