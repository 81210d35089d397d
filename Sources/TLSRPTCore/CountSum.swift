/// Sums of session counts that stop at a ceiling instead of trapping.
///
/// One count in a report is at most 2^53 (I-JSON's exact integer range, which ``ReportDecoder`` enforces),
/// and so is every sum within one report (the decoder refuses a report whose sums pass it). Sums across
/// reports have no such bound: anyone can send a thousand reports of 2^53 failed sessions, Swift's `+`
/// traps on overflow and SQLite's turns an INTEGER column into a REAL. So every sum of counts across
/// reports (rollups, summaries, diagnoses, renderers) goes through here and saturates at ``ceiling``.
///
/// 2^53 is far beyond any real traffic, so a saturated sum only ever stands for hostile data; it is exact
/// as a Double (SQLite's `TOTAL()`), and two saturated values still add up inside Int64 (`MIN(a + b, cap)`
/// in an upsert cannot overflow).
public enum CountSum {
    /// The largest count or sum of counts: 2^53.
    public static let ceiling: Int64 = 1 << 53

    /// `a + b`, or ``ceiling`` if that is more (counts are never negative).
    @inlinable
    public static func add(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow || sum > ceiling ? ceiling : sum
    }
}

extension Int64 {
    /// Adds a count, saturating at ``CountSum/ceiling`` (see ``CountSum``).
    @inlinable
    public mutating func addCount(_ other: Int64) {
        self = CountSum.add(self, other)
    }
}

extension Sequence where Element == Int64 {
    /// The saturating sum of these counts (see ``CountSum``).
    @inlinable
    public func countSum() -> Int64 {
        reduce(0, CountSum.add)
    }
}
