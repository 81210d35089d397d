#if os(Linux)
    import Foundation
    import Logging
    import Synchronization
    import Testing
    import TLSRPTStore

    @testable import TLSRPTIngest

    /// A real `WatchSession` on temporary folders, run on its own thread in this process, with real inotify.
    /// Every wait is bounded; the bounds are generous (a loaded 2-core CI machine) but far below a hang.
    final class RunningWatch: Sendable {
        let session: WatchSession
        let database: String
        private let finished = Mutex<Result<IngestTally, WatchError>?>(nil)

        /// Starts the session and waits until it watches (its first scan is done), so that what a test does next
        /// is an arrival, not something the first scan finds.
        init(roots: [String], database: String, window: Duration = .milliseconds(50)) throws {
            self.database = database
            let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
            session = try WatchSession(
                roots: roots, ingester: Ingester(store: try ReportStore(path: database)),
                configuration: .init(batchWindow: window, batchLimit: 512), logger: logger)
            let thread = Thread { [self] in
                let result = Result { () throws(WatchError) in try session.run() }
                finished.withLock { $0 = result }
            }
            thread.start()
            if !WatchFixture.wait(upTo: .seconds(10), until: { session.isWatching }) {
                Issue.record("the watch was not watching within 10 s")
            }
        }

        /// Stops the loop and returns its tally; fails the test when the loop does not return within 5 s.
        func stop() throws -> IngestTally? {
            session.stop()
            guard WatchFixture.wait(upTo: .seconds(5), until: { finished.withLock { $0 != nil } }) else {
                Issue.record("the watch did not stop within 5 s")
                return nil
            }
            return try finished.withLock { $0 }!.get()
        }

        func stored() throws -> [String] { try WatchFixture.storedReportIDs(database) }

        func waitForStored(_ count: Int, upTo timeout: Duration = .seconds(10)) throws -> Bool {
            try WatchFixture.wait(upTo: timeout) { try stored().count >= count }
        }
    }

    @Suite(.serialized) struct WatchSessionTests {
        @Test func readsWhatIsThereThenWhatArrives() throws {
            let base = try WatchFixture.temporaryFolder("session")
            let maildir = "\(base)/Maildir", drop = "\(base)/drop", staging = "\(base)/staging"
            try WatchFixture.makeMaildir(maildir)
            for folder in [drop, staging] { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            try WatchFixture.deliver(WatchFixture.reportMail("before-1"), to: maildir, name: "0.before.test")
            try WatchFixture.write(WatchFixture.reportJSON("before-2"), to: "\(drop)/before-2.json")

            let watch = try RunningWatch(roots: [maildir, drop + "/"], database: "\(base)/db.sqlite")
            #expect(try watch.waitForStored(2))
            for n in 0..<20 {
                try WatchFixture.deliver(WatchFixture.reportMail("m-\(n)"), to: maildir, name: "\(n).M\(n).test")
            }
            for n in 0..<5 {
                try WatchFixture.writeSlowly(WatchFixture.reportJSON("slow-\(n)"), to: "\(drop)/slow-\(n).json", pause: .milliseconds(120))
                try WatchFixture.moveIn(WatchFixture.reportJSON("moved-\(n)"), staging: staging, to: drop, name: "moved-\(n).json")
            }
            #expect(try watch.waitForStored(32))
            let tally = try watch.stop()
            let stored = try watch.stored()
            #expect(stored.count == 32)
            #expect(Set(stored).count == 32)
            #expect(WatchFixture.names(in: "\(maildir)/new").isEmpty)
            #expect(WatchFixture.names(in: "\(maildir)/cur").count == 21)
            // Every input stored once; our own new/ -> cur/ renames are not read again as deliveries.
            #expect(tally?.ingested == 32)
            #expect(tally?.duplicates == 0)
            #expect(tally?.rejected == 0)
            #expect(try ReportStore(path: watch.database).rejections().isEmpty)
        }

        @Test func aFileBeingWrittenIsNotReadHalfWay() throws {
            let base = try WatchFixture.temporaryFolder("slow")
            let drop = "\(base)/drop"
            try FileManager.default.createDirectory(atPath: drop, withIntermediateDirectories: true)
            let watch = try RunningWatch(roots: [drop], database: "\(base)/db.sqlite")
            let json = Array(WatchFixture.reportJSON("slow").utf8)
            let fd = open("\(drop)/slow.json", O_WRONLY | O_CREAT, 0o644)
            _ = json.withUnsafeBytes { write(fd, $0.baseAddress!, 40) }
            // Five batch windows with half a file: nothing read, nothing rejected.
            Thread.sleep(forTimeInterval: 0.25)
            #expect(try watch.stored().isEmpty)
            _ = json.withUnsafeBytes { write(fd, $0.baseAddress! + 40, json.count - 40) }
            close(fd)
            #expect(try watch.waitForStored(1))
            _ = try watch.stop()
            let rejections = try ReportStore(path: watch.database).rejections()
            #expect(rejections.isEmpty, "\(rejections)")
        }

        @Test func aRescanFindsWhatNoEventAnnounced() throws {
            let base = try WatchFixture.temporaryFolder("rescan")
            let drop = "\(base)/drop"
            try FileManager.default.createDirectory(atPath: drop, withIntermediateDirectories: true)
            try WatchFixture.write(WatchFixture.reportJSON("linked"), to: "\(base)/linked.json")
            let watch = try RunningWatch(roots: [drop], database: "\(base)/db.sqlite")
            // A hard link makes a complete file appear with only a CREATE event, which a plain folder ignores
            // (a CREATE usually starts a write): it stands for any event lost, as in a queue overflow.
            #expect(link("\(base)/linked.json", "\(drop)/linked.json") == 0)
            Thread.sleep(forTimeInterval: 0.3)
            #expect(try watch.stored().isEmpty)
            watch.session.rescan(reason: "test")
            #expect(try watch.waitForStored(1))
            #expect(try watch.stored() == ["linked"])
            _ = try watch.stop()
        }

        @Test func aFolderDeletedAndRecreatedIsWatchedAgain() throws {
            let base = try WatchFixture.temporaryFolder("recreate")
            let drop = "\(base)/drop"
            let maildir = "\(base)/Maildir"
            try FileManager.default.createDirectory(atPath: drop, withIntermediateDirectories: true)
            try WatchFixture.makeMaildir(maildir)
            let watch = try RunningWatch(roots: [drop, maildir], database: "\(base)/db.sqlite")
            try FileManager.default.removeItem(atPath: drop)
            try FileManager.default.removeItem(atPath: maildir)
            Thread.sleep(forTimeInterval: 0.1)
            try FileManager.default.createDirectory(atPath: drop, withIntermediateDirectories: true)
            try WatchFixture.makeMaildir(maildir)
            // Give the rescan that the re-creation triggers a moment to watch the new folders.
            Thread.sleep(forTimeInterval: 0.3)
            try WatchFixture.write(WatchFixture.reportJSON("after"), to: "\(drop)/after.json")
            try WatchFixture.deliver(WatchFixture.reportMail("after-mail"), to: maildir, name: "9.M9.test")
            #expect(try watch.waitForStored(2))
            #expect(Set(try watch.stored()) == ["after", "after-mail"])
            _ = try watch.stop()
        }

        @Test func foldersCreatedLaterAreWatched() throws {
            let base = try WatchFixture.temporaryFolder("subfolders")
            let drop = "\(base)/drop"
            try FileManager.default.createDirectory(atPath: drop, withIntermediateDirectories: true)
            let watch = try RunningWatch(roots: [drop], database: "\(base)/db.sqlite")
            try FileManager.default.createDirectory(atPath: "\(drop)/2026/11", withIntermediateDirectories: true)
            try WatchFixture.write(WatchFixture.reportJSON("deep-1"), to: "\(drop)/2026/11/a.json")
            Thread.sleep(forTimeInterval: 0.2)
            try WatchFixture.write(WatchFixture.reportJSON("deep-2"), to: "\(drop)/2026/11/b.json")
            // A maildir created inside the drop folder is read as a maildir: tmp/ is never read.
            try WatchFixture.makeMaildir("\(drop)/inbox")
            Thread.sleep(forTimeInterval: 0.2)
            try WatchFixture.write(WatchFixture.reportMail("in-tmp"), to: "\(drop)/inbox/tmp/1.M1.test")
            Thread.sleep(forTimeInterval: 0.2)
            try WatchFixture.deliver(WatchFixture.reportMail("in-new"), to: "\(drop)/inbox", name: "2.M2.test")
            #expect(try watch.waitForStored(3))
            Thread.sleep(forTimeInterval: 0.2)
            #expect(Set(try watch.stored()) == ["deep-1", "deep-2", "in-new"])
            #expect(WatchFixture.names(in: "\(drop)/inbox/tmp") == ["1.M1.test"])
            _ = try watch.stop()
        }
    }
#endif

/// A scan holds back plain files modified moments ago; an event or a quiet period releases them.
struct SettlingFilesTests {
    @Test func recentPlainFilesWaitAndMaildirMessagesDoNot() throws {
        let folder = try WatchFixture.temporaryFolder("settling")
        try WatchFixture.write("{}", to: "\(folder)/fresh.json")
        try WatchFixture.write("{}", to: "\(folder)/old.json")
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -60)], ofItemAtPath: "\(folder)/old.json")
        try WatchFixture.write("{}", to: "\(folder)/future.json")
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 3600)], ofItemAtPath: "\(folder)/future.json")
        let message = MaildirMessage(maildir: folder, folder: "new", name: "fresh.json")
        var settling = SettlingFiles(quiet: .seconds(1))
        let now = ContinuousClock.now
        let ready = settling.admit(
            [
                InputItem(path: "\(folder)/fresh.json", kind: .file), InputItem(path: "\(folder)/old.json", kind: .file),
                InputItem(path: "\(folder)/future.json", kind: .file), InputItem(path: message.path, kind: .maildirMessage(message)),
            ], now: now)
        #expect(ready.map(\.path) == ["\(folder)/old.json", "\(folder)/future.json", message.path])
        #expect(Array(settling.files.keys) == ["\(folder)/fresh.json"])
        #expect(settling.pollTimeout(now: now) == 1000)
        #expect(settling.settled(now: now + .milliseconds(500)).isEmpty)  // not due yet
        // Due, and two seconds later by the wall clock the file has been quiet long enough.
        #expect(settling.settled(now: now + .seconds(1), wallClock: Date(timeIntervalSinceNow: 2)).map(\.path) == ["\(folder)/fresh.json"])
        #expect(settling.isEmpty)
        #expect(settling.pollTimeout(now: now) == -1)
    }

    @Test func anEventReleasesAFileAtOnce() throws {
        let folder = try WatchFixture.temporaryFolder("settling")
        try WatchFixture.write("{}", to: "\(folder)/fresh.json")
        var settling = SettlingFiles(quiet: .seconds(1))
        #expect(settling.admit([InputItem(path: "\(folder)/fresh.json", kind: .file)], now: .now).isEmpty)
        settling.announced("\(folder)/fresh.json")
        #expect(settling.isEmpty)
        #expect(settling.pollTimeout(now: .now) == -1)
    }

    @Test func aFileStillBeingWrittenWhenTheWatchStartsIsNotReadHalfWay() throws {
        let base = try WatchFixture.temporaryFolder("startup")
        let drop = "\(base)/drop"
        try FileManager.default.createDirectory(atPath: drop, withIntermediateDirectories: true)
        let json = Array(WatchFixture.reportJSON("early").utf8)
        let fd = open("\(drop)/early.json", O_WRONLY | O_CREAT, 0o644)
        _ = json.withUnsafeBytes { write(fd, $0.baseAddress!, 40) }
        // The first scan finds the half-written file and holds it back; the close announces it.
        let watch = try RunningWatch(roots: [drop], database: "\(base)/db.sqlite")
        Thread.sleep(forTimeInterval: 0.3)
        _ = json.withUnsafeBytes { write(fd, $0.baseAddress! + 40, json.count - 40) }
        close(fd)
        #expect(try watch.waitForStored(1))
        _ = try watch.stop()
        #expect(try ReportStore(path: watch.database).rejections().isEmpty)
    }
}
