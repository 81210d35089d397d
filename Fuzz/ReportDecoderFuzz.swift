// libFuzzer entry for the report decoder (JSON parser, RFC 3339 dates, counts, normalisation).
// Built by Scripts/fuzz together with Sources/TLSRPTCore; not part of the package.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReportDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let decoded = try? ReportDecoder().decode(bytes) {
        // The canonical form must parse back to the same report: the store hashes it.
        _ = try? ReportDecoder().decode(decoded.canonicalJSON)
        checkBounds(decoded.report)
    }
    return 0
}

/// What the store and the summary rely on for any accepted report (issue #12): its sums fit in 2^53, so
/// adding them cannot trap, and it names a bounded number of hosts, result types and notes.
func checkBounds(_ report: Report) {
    var sessions: Int64 = 0
    var failures: Int64 = 0
    var hosts = Set<String>()
    var types = Set<String>()
    for policy in report.policies {
        // Every count is at most 2^53 and so, if the decoder is right, is every running sum: `+` cannot trap.
        sessions += policy.summary.successful
        precondition(sessions <= CountSum.ceiling, "session sum past 2^53")
        sessions += policy.summary.failed
        precondition(sessions <= CountSum.ceiling, "session sum past 2^53")
        for detail in policy.failureDetails {
            failures += detail.failedSessionCount
            precondition(failures <= CountSum.ceiling, "failure sum past 2^53")
            if let host = detail.receivingMXHostname { hosts.insert(host) }
            types.insert(detail.resultType.name)
        }
    }
    precondition(hosts.count <= 1_000 && types.count <= 101, "too many distinct hosts or result types")
    precondition(report.notes.count <= 53, "too many notes")
}
