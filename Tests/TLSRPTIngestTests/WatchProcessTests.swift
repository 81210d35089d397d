#if os(Linux)
    import Foundation
    import Testing
    import TLSRPTStore
    import TLSRPTTestSupport

    /// End to end: the built `tlsrpt` binary, started as a process on an empty maildir and drop folder, as an
    /// administrator runs it. Measures idle CPU, stores 200 deliveries and 60 dropped files once each, checks
    /// the latency bound, and stops it with SIGTERM.
    @Suite(.serialized) struct WatchProcessTests {
        /// The built binary (`$TLSRPT_BINARY` selects another, such as the static build).
        static var binary: String { TLSRPTProcess.executable.path }

        /// CPU time of the process (user + system, clock ticks), context switches of all its threads, and those
        /// of the thread named `tlsrpt-watch` (the watch loop).
        static func usage(_ pid: Int32) -> (ticks: Int, switches: Int, loopSwitches: Int) {
            var ticks = 0
            if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            {
                // Fields after "(comm)": state is field 3; utime and stime are fields 14 and 15.
                let fields = stat[stat.index(after: close)...].split(separator: " ")
                ticks = (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0)
            }
            var switches = 0
            var loopSwitches = 0
            for task in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? [] {
                let status = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/status", encoding: .utf8)) ?? ""
                var count = 0
                for line in status.split(separator: "\n") where line.contains("ctxt_switches:") {
                    count += Int(line.split(separator: "\t").last.map(String.init) ?? "") ?? 0
                }
                switches += count
                if status.hasPrefix("Name:\ttlsrpt-watch\n") { loopSwitches += count }
            }
            return (ticks, switches, loopSwitches)
        }

        @Test(.timeLimit(.minutes(2))) func deliveriesAndDropsAreStoredOnceWithinASecondAndSIGTERMExitsZero() throws {
            let binary = Self.binary
            guard FileManager.default.isExecutableFile(atPath: binary) else {
                Issue.record("no tlsrpt binary at \(binary): run 'swift build' first (or set TLSRPT_BINARY)")
                return
            }
            let base = try WatchFixture.temporaryFolder("process")
            let maildir = "\(base)/Maildir", drop = "\(base)/drop", staging = "\(base)/staging", database = "\(base)/db.sqlite"
            try WatchFixture.makeMaildir(maildir)
            for folder in [drop, staging] { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }

            let log = "\(base)/watch.log"
            let process = try WatchFixture.startWatch(binary, ["--db", database, maildir, drop], log: log)
            defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
            let logText = { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }
            #expect(WatchFixture.wait(upTo: .seconds(20)) { logText().contains("input(s) to read") }, "the watch never said it was watching")

            // Idle: three seconds without deliveries. The watch loop sleeps in poll(2) without a timeout, so its
            // thread never wakes. The process as a whole wakes once a second: libdispatch's workqueue monitor
            // (a 1 Hz timer on Linux in every process that uses Dispatch's global queues, as Swift concurrency
            // does), which costs no measurable CPU.
            Thread.sleep(forTimeInterval: 0.5)
            let before = Self.usage(process.processIdentifier)
            Thread.sleep(forTimeInterval: 3)
            let after = Self.usage(process.processIdentifier)
            print(
                "idle 3 s: \(after.ticks - before.ticks) CPU ticks (10 ms each), \(after.switches - before.switches) context switches"
                    + " in the process, \(after.loopSwitches - before.loopSwitches) in the watch loop")
            #expect(before.loopSwitches > 0, "no thread named tlsrpt-watch: the loop's wake-ups cannot be told apart")
            #expect(after.ticks - before.ticks <= 1, "CPU used while idle")
            #expect(after.loopSwitches - before.loopSwitches == 0, "the watch loop woke while idle")
            #expect(after.switches - before.switches <= 8, "threads woke more than the 1 Hz dispatch monitor while idle")

            // 200 maildir deliveries (tmp/ then rename into new/), 30 files written slowly in place, 30 moved in.
            for n in 0..<200 {
                try WatchFixture.deliver(WatchFixture.reportMail("mail-\(n)"), to: maildir, name: "1795132800.M\(n)P1.test")
            }
            for n in 0..<30 {
                try WatchFixture.writeSlowly(WatchFixture.reportJSON("slow-\(n)"), to: "\(drop)/slow-\(n).json", pause: .milliseconds(30))
                try WatchFixture.moveIn(WatchFixture.reportJSON("moved-\(n)"), staging: staging, to: drop, name: "moved-\(n).json")
            }
            let lastDelivery = ContinuousClock.now
            #expect(try WatchFixture.wait(upTo: .seconds(15)) { try WatchFixture.storedReportIDs(database).count >= 260 })
            let burstLatency = ContinuousClock.now - lastDelivery
            print("260 inputs: all stored \(burstLatency) after the last delivery")
            #expect(burstLatency < .seconds(1))

            // One more delivery on an idle watch: from rename to committed report.
            let single = ContinuousClock.now
            try WatchFixture.deliver(WatchFixture.reportMail("single"), to: maildir, name: "1795132801.M1P1.test")
            #expect(try WatchFixture.wait(upTo: .seconds(5)) { try WatchFixture.storedReportIDs(database).contains("single") })
            let singleLatency = ContinuousClock.now - single
            print("one delivery: stored \(singleLatency) after it")
            #expect(singleLatency < .seconds(1))

            // SIGHUP reads every folder again: a file hard-linked in (a CREATE event only, which a plain folder
            // ignores) is found by that rescan and by nothing else.
            try WatchFixture.write(WatchFixture.reportJSON("linked"), to: "\(staging)/linked.json")
            #expect(link("\(staging)/linked.json", "\(drop)/linked.json") == 0)
            Thread.sleep(forTimeInterval: 0.3)
            #expect(try !WatchFixture.storedReportIDs(database).contains("linked"))
            kill(process.processIdentifier, SIGHUP)
            #expect(try WatchFixture.wait(upTo: .seconds(10)) { try WatchFixture.storedReportIDs(database).contains("linked") })

            let stored = try WatchFixture.storedReportIDs(database)
            #expect(stored.count == 262)
            #expect(Set(stored).count == 262)
            #expect(WatchFixture.names(in: "\(maildir)/new").isEmpty)
            #expect(WatchFixture.names(in: "\(maildir)/cur").count == 201)
            #expect(try ReportStore(path: database).rejections().isEmpty)

            // SIGTERM: exit 0 within five seconds.
            let stopping = ContinuousClock.now
            kill(process.processIdentifier, SIGTERM)
            let exited = WatchFixture.wait(upTo: .seconds(5)) { !process.isRunning }
            #expect(exited, "still running 5 s after SIGTERM")
            if exited {
                print("SIGTERM: exited in \(ContinuousClock.now - stopping)")
                #expect(process.terminationReason == .exit)
                #expect(process.terminationStatus == 0)
            }
            let lines = logText().split(separator: "\n")
            // Batches, not one transaction per file: 261 inputs in far fewer batches.
            let batches = lines.filter { $0.contains("batch of") }
            print("\(batches.count) batch lines; last log lines:\n" + lines.suffix(4).joined(separator: "\n"))
            #expect(batches.count < 60)
            #expect(lines.contains { $0.contains("rescanning: SIGHUP received") })
            // The rescan meets the 261 earlier inputs again and skips them as seen; nothing is ever rejected.
            #expect(lines.contains { $0.contains("stopped; in all: stored 262, duplicates 261, rejected 0") })
        }
    }
#endif
