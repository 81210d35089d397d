/// The running sums of one report's counts while it is decoded, each held within 2^53.
///
/// Every count is at most 2^53 on its own, but a report of 1,024 failure details of 2^53 each adds up past
/// 64 bits, and the store adds a report's counts together (a policy's failure details into one rollup row,
/// the counted policies' sessions). A report whose sums pass 2^53 is not real traffic, so it is refused
/// here, naming the count that tipped the sum over, and every sum the store makes of one report fits in
/// ``CountSum/ceiling``. Both sums cover the whole report, so they bound every per-policy sum too.
struct ReportTotals {
    /// Successful and failed sessions of all policies' summaries.
    private(set) var sessions: Int64 = 0
    /// `failed-session-count` of all failure details.
    private(set) var failureDetails: Int64 = 0

    mutating func addSessions(_ count: Int64, path: @autoclosure () -> String) throws(ReportDecodingError) {
        try Self.add(count, to: &sessions, path: path(), sum: "the report's session counts (successful and failed, all policies)")
    }

    mutating func addFailureDetail(_ count: Int64, path: @autoclosure () -> String) throws(ReportDecodingError) {
        try Self.add(count, to: &failureDetails, path: path(), sum: "the report's failed-session-count sum (all failure details)")
    }

    private static func add(
        _ count: Int64, to total: inout Int64, path: @autoclosure () -> String, sum: String
    ) throws(ReportDecodingError) {
        // Both are at most 2^53 here (the decoder checked the count, this the total), so `+` cannot overflow.
        let next = total + count
        guard next <= CountSum.ceiling else {
            throw ReportDecodingError(.invalidValue, path: path(), "is \(count), which brings \(sum) past 2^53 (I-JSON's exact integer range)")
        }
        total = next
    }
}
