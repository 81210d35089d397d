/// The UTC day a time falls in, as every rollup key, rebuild and query of the store computes it: days
/// since 1970-01-01, rounded down, also before 1970 (where integer division would round toward zero and
/// put a report starting at 1969-12-31T12:00Z into day 0 on one path and day -1 on another).
enum UTCDay {
    static let seconds: Int64 = 86_400

    /// The day of a Unix time.
    static func of(_ time: Int64) -> Int64 {
        time >= 0 ? time / seconds : -((-time + seconds - 1) / seconds)
    }

    /// The first day that starts at or after a Unix time.
    static func startingAtOrAfter(_ time: Int64) -> Int64 {
        -of(-time)
    }

    /// The Unix time a day starts.
    static func start(_ day: Int64) -> Int64 {
        day * seconds
    }

    /// ``of(_:)`` in SQL, for an INTEGER expression of Unix seconds.
    static func sql(_ time: String) -> String {
        "(CASE WHEN \(time) >= 0 THEN \(time) / 86400 ELSE -((-(\(time)) + 86399) / 86400) END)"
    }
}
