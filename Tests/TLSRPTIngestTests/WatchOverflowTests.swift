#if os(Linux)
    import Foundation
    import GRDB
    import Logging
    import Synchronization
    import Testing
    import TLSRPTStore

    @testable import TLSRPTIngest

    /// Keeps every message logged, so a test can tell why the watch did what it did.
    struct RecordingLogHandler: LogHandler {
        let log: MessageLog
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            log.messages.withLock { $0.append(event.message.description) }
        }
    }

    final class MessageLog: Sendable {
        let messages = Mutex<[String]>([])
        var all: [String] { messages.withLock { $0 } }
    }

    final class Flag: Sendable {
        private let state = Mutex(false)
        func set() { state.withLock { $0 = true } }
        var isSet: Bool { state.withLock { $0 } }
    }

    /// A real inotify queue overflow: the watch loop is held inside a batch (the database is locked by another
    /// connection) while more events arrive than the kernel queues (`fs.inotify.max_queued_events`). The kernel
    /// drops the rest, including a report's, and says so; the watch must read the folder again and store it.
    struct WatchOverflowTests {
        @Test(.timeLimit(.minutes(2))) func aQueueOverflowLeadsToARescanThatLosesNothing() throws {
            let limitText = (try? String(contentsOfFile: "/proc/sys/fs/inotify/max_queued_events", encoding: .utf8)) ?? "16384"
            let limit = Int(limitText.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 16384
            try #require(limit <= 200_000, "max_queued_events is \(limit): too many events to overflow in a test")

            let base = try WatchFixture.temporaryFolder("overflow")
            defer { try? FileManager.default.removeItem(atPath: base) }  // thousands of filler files
            let drop = "\(base)/drop"
            try FileManager.default.createDirectory(atPath: drop, withIntermediateDirectories: true)
            let database = "\(base)/db.sqlite"
            let log = MessageLog()
            let logger = Logger(label: "test") { _ in RecordingLogHandler(log: log) }
            let session = try WatchSession(
                roots: [drop], ingester: Ingester(store: try ReportStore(path: database, busyTimeout: 60)),
                configuration: .init(batchWindow: .milliseconds(10)), logger: logger)
            let finished = Flag()
            let thread = Thread {
                _ = try? session.run()
                finished.set()
            }
            thread.start()
            #expect(WatchFixture.wait(upTo: .seconds(10)) { session.isWatching })

            // Hold the write lock, then give the loop a batch: it blocks in the commit.
            var configuration = Configuration()
            configuration.allowsUnsafeTransactions = true  // a transaction that outlives one access is the point here
            let locker = try DatabaseQueue(path: database, configuration: configuration)
            try locker.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE") }
            try WatchFixture.write(WatchFixture.reportJSON("first"), to: "\(drop)/first.json")
            Thread.sleep(forTimeInterval: 0.3)

            // Hidden files cost the loop nothing to skip, but each queues two events (CREATE, CLOSE_WRITE).
            for n in 0..<(limit / 2 + 500) {
                let fd = open("\(drop)/.filler-\(n)", O_WRONLY | O_CREAT, 0o644)
                close(fd)
            }
            // Its events are past the queue's limit: dropped. Only a rescan can find it.
            try WatchFixture.write(WatchFixture.reportJSON("lost"), to: "\(drop)/lost.json")
            try locker.writeWithoutTransaction { db in try db.execute(sql: "COMMIT") }
            try locker.close()

            #expect(try WatchFixture.wait(upTo: .seconds(30)) { try WatchFixture.storedReportIDs(database).count >= 2 })
            #expect(Set(try WatchFixture.storedReportIDs(database)) == ["first", "lost"])
            #expect(log.all.contains { $0.contains("rescanning: the kernel's event queue overflowed") }, "\(log.all)")
            session.stop()
            #expect(WatchFixture.wait(upTo: .seconds(5)) { finished.isSet })
        }
    }
#endif
