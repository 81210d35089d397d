import Foundation

/// Plain files that a scan found but that were modified moments ago: they may still be being written, by a
/// writer that started before the folder was watched (so no `CLOSE_WRITE` for them may ever be seen, or it
/// may come later). They are read once they have not changed for `quiet`, or as soon as an event announces
/// them, whichever comes first; so a scan at start-up or after an overflow does not read a file half-way.
struct SettlingFiles {
    let quiet: Duration
    private(set) var files: [String: InputItem] = [:]
    private(set) var nextCheck: ContinuousClock.Instant?

    init(quiet: Duration) {
        self.quiet = quiet
    }

    var isEmpty: Bool { files.isEmpty }

    /// Splits what a scan listed into what may be read now and what must settle first. Maildir messages are
    /// always complete (delivered by rename or link); plain files are held back when modified within `quiet`.
    mutating func admit(_ items: [InputItem], now: ContinuousClock.Instant, wallClock: Date = Date()) -> [InputItem] {
        var ready: [InputItem] = []
        for item in items {
            if case .file = item.kind, isRecent(item.path, wallClock: wallClock) {
                files[item.path] = item
                if nextCheck == nil { nextCheck = now + quiet }
            } else {
                ready.append(item)
            }
        }
        return ready
    }

    /// An event announced the file: it is complete, and the event's input stands for it.
    mutating func announced(_ path: String) {
        files[path] = nil
        if files.isEmpty { nextCheck = nil }
    }

    func pollTimeout(now: ContinuousClock.Instant) -> Int32 {
        guard let nextCheck else { return -1 }
        if now >= nextCheck { return 0 }
        let left = (nextCheck - now).components
        return Int32(clamping: max(1, left.seconds * 1000 + (left.attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000))
    }

    /// The files that have been quiet long enough (or vanished: the ingester skips those), once the check is due.
    mutating func settled(now: ContinuousClock.Instant, wallClock: Date = Date()) -> [InputItem] {
        guard let nextCheck, now >= nextCheck else { return [] }
        var ready: [InputItem] = []
        for (path, item) in files.sorted(by: { $0.key < $1.key }) {
            if isRecent(path, wallClock: wallClock) { continue }
            ready.append(item)
            files[path] = nil
        }
        self.nextCheck = files.isEmpty ? nil : now + quiet
        return ready
    }

    /// Modified within `quiet` of now. A time further in the future (copied with its timestamps from a
    /// machine whose clock is ahead) is not "recent": waiting for it would wait for ever.
    func isRecent(_ path: String, wallClock: Date) -> Bool {
        guard let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date else { return false }
        let age = Duration.milliseconds(Int64((wallClock.timeIntervalSince(modified) * 1000).rounded(.down)))
        return age < quiet && age > .zero - quiet
    }
}
