import Testing

@testable import TLSRPTIngest

/// The rules that turn inotify events into work, fed with made-up events: no kernel, no timing.
struct WatchedTreeTests {
    typealias Action = WatchedTree.Action

    /// Watch 1: plain folder /drop; 2: maildir root /mail; 3: /mail/new; 4: /mail/cur; 5: / (parent of both).
    static var tree: WatchedTree {
        var tree = WatchedTree()
        tree.record(watch: 1, path: "/drop", role: .plain)
        tree.record(watch: 2, path: "/mail", role: .maildirRoot(maildir: "/mail"))
        tree.record(watch: 3, path: "/mail/new", role: .maildirFolder(maildir: "/mail", folder: "new"))
        tree.record(watch: 4, path: "/mail/cur", role: .maildirFolder(maildir: "/mail", folder: "cur"))
        tree.record(watch: 5, path: "/", role: .rootParent(names: ["drop"]))
        tree.record(watch: 5, path: "/", role: .rootParent(names: ["mail"]))
        return tree
    }

    @Test func aPlainFileIsReadWhenClosedAfterWritingOrRenamedInNeverWhenCreated() {
        #expect(Self.tree.actions(for: InotifyEvent(watch: 1, mask: .closeWrite, name: "a.json")) == [.ingestFile(path: "/drop/a.json")])
        #expect(Self.tree.actions(for: InotifyEvent(watch: 1, mask: .movedTo, name: "b.json")) == [.ingestFile(path: "/drop/b.json")])
        #expect(Self.tree.actions(for: InotifyEvent(watch: 1, mask: .create, name: "c.json")).isEmpty)
    }

    @Test func aFolderAppearingInAPlainFolderIsWatched() {
        #expect(
            Self.tree.actions(for: InotifyEvent(watch: 1, mask: [.create, .isDirectory], name: "sub")) == [.directoryAppeared(path: "/drop/sub")])
        #expect(
            Self.tree.actions(for: InotifyEvent(watch: 1, mask: [.movedTo, .isDirectory], name: "moved")) == [.directoryAppeared(path: "/drop/moved")]
        )
    }

    @Test func aMaildirMessageIsReadWhenRenamedOrLinkedIntoNew() {
        let message = MaildirMessage(maildir: "/mail", folder: "new", name: "1700.M1.host")
        #expect(Self.tree.actions(for: InotifyEvent(watch: 3, mask: .movedTo, name: "1700.M1.host")) == [.ingestMessage(message)])
        // Postfix and Dovecot deliver with link(tmp/x, new/x): the kernel reports a CREATE of a complete file.
        #expect(Self.tree.actions(for: InotifyEvent(watch: 3, mask: .create, name: "1700.M1.host")) == [.ingestMessage(message)])
        let seen = MaildirMessage(maildir: "/mail", folder: "cur", name: "1700.M2.host:2,S")
        #expect(Self.tree.actions(for: InotifyEvent(watch: 4, mask: .movedTo, name: "1700.M2.host:2,S")) == [.ingestMessage(seen)])
    }

    @Test func hiddenNamesAreIgnored() {
        #expect(Self.tree.actions(for: InotifyEvent(watch: 1, mask: .closeWrite, name: ".a.json.swp")).isEmpty)
        #expect(Self.tree.actions(for: InotifyEvent(watch: 1, mask: [.create, .isDirectory], name: ".Rejected")).isEmpty)
        #expect(Self.tree.actions(for: InotifyEvent(watch: 3, mask: .movedTo, name: ".hidden")).isEmpty)
    }

    @Test func aQueueOverflowMeansARescan() {
        // The kernel reports an overflow on watch -1, which no folder has.
        #expect(Self.tree.actions(for: InotifyEvent(watch: -1, mask: .queueOverflow)) == [.rescan(reason: "the kernel's event queue overflowed")])
    }

    @Test func aFolderComingBackMeansARescan() {
        #expect(Self.tree.actions(for: InotifyEvent(watch: 5, mask: [.create, .isDirectory], name: "drop")) == [.rescan(reason: "/drop appeared")])
        #expect(Self.tree.actions(for: InotifyEvent(watch: 5, mask: [.movedTo, .isDirectory], name: "mail")) == [.rescan(reason: "/mail appeared")])
        #expect(Self.tree.actions(for: InotifyEvent(watch: 5, mask: [.create, .isDirectory], name: "other")).isEmpty)
        #expect(
            Self.tree.actions(for: InotifyEvent(watch: 2, mask: [.create, .isDirectory], name: "new")) == [
                .rescan(reason: "/mail/new was re-created")
            ])
    }

    @Test func aWatchedFolderMovedMeansARescanAndADroppedWatchIsForgotten() {
        #expect(Self.tree.actions(for: InotifyEvent(watch: 1, mask: .moveSelf)) == [.rescan(reason: "/drop was moved")])
        #expect(Self.tree.actions(for: InotifyEvent(watch: 1, mask: .deleteSelf)).isEmpty)
        #expect(Self.tree.actions(for: InotifyEvent(watch: 1, mask: .ignored)) == [.forget(watch: 1)])
        var tree = Self.tree
        tree.forget(watch: 1)
        #expect(tree.actions(for: InotifyEvent(watch: 1, mask: .closeWrite, name: "late.json")).isEmpty)
    }

    @Test func oneFolderInTwoRolesAnswersForBoth() {
        var tree = WatchedTree()
        // `/data` is both a watched plain folder and the parent of the root `/data/mail`.
        tree.record(watch: 7, path: "/data", role: .plain)
        tree.record(watch: 7, path: "/data", role: .rootParent(names: ["mail"]))
        #expect(tree.entries[7]?.roles.count == 2)
        #expect(
            tree.actions(for: InotifyEvent(watch: 7, mask: [.create, .isDirectory], name: "mail")) == [
                .directoryAppeared(path: "/data/mail"), .rescan(reason: "/data/mail appeared"),
            ])
        // A descriptor that now names another path (its folder was renamed) starts over.
        tree.record(watch: 7, path: "/elsewhere", role: .plain)
        #expect(tree.entries[7] == WatchedTree.Entry(path: "/elsewhere", roles: [.plain]))
    }
}

struct InotifyEventTests {
    @Test func parsesPackedEventsWithPaddedNames() {
        var bytes: [UInt8] = []
        func append(_ watch: Int32, _ mask: UInt32, _ cookie: UInt32, _ name: String?, padTo length: Int) {
            withUnsafeBytes(of: watch.littleEndian) { bytes += $0 }
            withUnsafeBytes(of: mask.littleEndian) { bytes += $0 }
            withUnsafeBytes(of: cookie.littleEndian) { bytes += $0 }
            withUnsafeBytes(of: UInt32(length).littleEndian) { bytes += $0 }
            var name = Array((name ?? "").utf8)
            name += [UInt8](repeating: 0, count: length - name.count)
            bytes += name
        }
        append(3, 0x80, 42, "1700.M1.host", padTo: 16)
        append(-1, 0x4000, 0, nil, padTo: 0)
        append(1, 0x4000_0100, 0, "sub", padTo: 16)
        let events = bytes.withUnsafeBytes { InotifyEvent.parse($0) }
        #expect(
            events == [
                InotifyEvent(watch: 3, mask: .movedTo, cookie: 42, name: "1700.M1.host"),
                InotifyEvent(watch: -1, mask: .queueOverflow),
                InotifyEvent(watch: 1, mask: [.create, .isDirectory], name: "sub"),
            ])
        // A truncated trailing event is not invented.
        #expect(bytes.dropLast(4).withUnsafeBytes { InotifyEvent.parse($0) }.count == 2)
    }
}

struct InputBatcherTests {
    static func file(_ name: String) -> InputItem { InputItem(path: "/drop/\(name)", kind: .file) }

    @Test func idleMeansNoTimeout() {
        let batcher = InputBatcher(window: .milliseconds(100), limit: 3)
        #expect(batcher.pollTimeout(now: .now) == -1)
        #expect(!batcher.isDue(now: .now))
    }

    @Test func theWindowStartsWithTheFirstInput() {
        var batcher = InputBatcher(window: .milliseconds(100), limit: 10)
        let start = ContinuousClock.now
        batcher.add(Self.file("a"), now: start)
        batcher.add(Self.file("b"), now: start + .milliseconds(60))
        #expect(batcher.pollTimeout(now: start + .milliseconds(60)) == 40)
        #expect(batcher.pollTimeout(now: start + .microseconds(99_500)) == 1)  // rounded up, never early
        #expect(!batcher.isDue(now: start + .milliseconds(99)))
        #expect(batcher.isDue(now: start + .milliseconds(100)))
        #expect(batcher.take().map(\.path) == ["/drop/a", "/drop/b"])
        #expect(batcher.pollTimeout(now: start + .milliseconds(100)) == -1)
    }

    @Test func aFullBatchIsDueAtOnceAndTheRestFollows() {
        var batcher = InputBatcher(window: .seconds(10), limit: 2)
        let now = ContinuousClock.now
        for name in ["a", "b", "c"] { batcher.add(Self.file(name), now: now) }
        #expect(batcher.isDue(now: now))
        #expect(batcher.pollTimeout(now: now) == 0)
        #expect(batcher.take().map(\.path) == ["/drop/a", "/drop/b"])
        #expect(batcher.count == 1)
        #expect(!batcher.isDue(now: now))  // one left: it waits for its window
        #expect(batcher.isDue(now: now + .seconds(10)))
    }

    @Test func anInputAnnouncedTwiceIsReadOnce() {
        var batcher = InputBatcher(window: .milliseconds(100), limit: 10)
        let now = ContinuousClock.now
        batcher.add(Self.file("a"), now: now)
        batcher.add(Self.file("a"), now: now)
        #expect(batcher.take().count == 1)
        batcher.add(Self.file("a"), now: now)  // once taken, it may come again (rewritten later)
        #expect(batcher.count == 1)
    }
}
