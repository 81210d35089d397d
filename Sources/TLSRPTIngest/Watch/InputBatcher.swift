/// Collects the inputs that events announce until a batch is due: `window` after the first one arrived,
/// or as soon as `limit` are waiting. A burst of thousands of deliveries thus becomes a few transactions,
/// while a lone delivery waits at most `window` before it is read.
///
/// Inputs are kept once each, in arrival order: a file closed twice within the window is read once, in
/// its final state.
struct InputBatcher {
    let window: Duration
    let limit: Int
    private(set) var items: [InputItem] = []
    private var paths: Set<String> = []
    private(set) var deadline: ContinuousClock.Instant?

    init(window: Duration, limit: Int) {
        self.window = window
        self.limit = max(1, limit)
    }

    var isEmpty: Bool { items.isEmpty }
    var count: Int { items.count }

    mutating func add(_ item: InputItem, now: ContinuousClock.Instant) {
        guard paths.insert(item.path).inserted else { return }
        items.append(item)
        if deadline == nil { deadline = now + window }
    }

    func isDue(now: ContinuousClock.Instant) -> Bool {
        guard let deadline else { return false }
        return items.count >= limit || now >= deadline
    }

    /// How long `poll(2)` may sleep: forever (-1) when nothing waits, which is what keeps an idle watch
    /// at zero CPU; otherwise the milliseconds left in the window, rounded up so that a wake-up is never early.
    func pollTimeout(now: ContinuousClock.Instant) -> Int32 {
        guard let deadline else { return -1 }
        if items.count >= limit || now >= deadline { return 0 }
        let left = (deadline - now).components
        let milliseconds = left.seconds * 1000 + (left.attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: max(1, milliseconds))
    }

    /// Up to `limit` inputs, oldest first; the rest stay, with a window that is already due.
    mutating func take() -> [InputItem] {
        let taken = Array(items.prefix(limit))
        items.removeFirst(taken.count)
        for item in taken { paths.remove(item.path) }
        if items.isEmpty { deadline = nil }
        return taken
    }
}
