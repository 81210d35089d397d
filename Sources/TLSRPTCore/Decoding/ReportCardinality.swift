/// Bounds on how many distinct MX hosts and result types one report may name, and on its notes.
///
/// Real reports name a handful of MX hosts and result types. One of 139 KB naming 50,000 distinct
/// `receiving-mx-hostname` values became 50,000 findings, rollup groups and table rows; 50,000 unknown
/// result types, 50,000 notes. Past a cap the counts are kept (every failed session still counts, under its
/// policy, sender and day) but folded: further hosts are counted without a host, further result types under
/// ``otherResultTypes``, and the report carries a note saying how many were folded.
struct ReportCardinality {
    /// Distinct receiving MX hosts kept per report.
    static let maxHosts = 1_000
    /// Distinct result types kept per report (there are 11 registered ones).
    static let maxResultTypes = 100
    /// Notes kept per report; the rest are counted in a last note.
    static let maxNotes = 50
    /// The result type that stands for the types past ``maxResultTypes``.
    static let otherResultTypes = "other-result-types"

    private var hosts = Set<String>()
    private var resultTypes = Set<String>()
    private(set) var foldedHosts = 0
    private(set) var foldedResultTypes = 0

    /// `host`, or nil once the report has named ``maxHosts`` others.
    mutating func admit(host: String?) -> String? {
        guard let host else { return nil }
        if hosts.contains(host) { return host }
        guard hosts.count < Self.maxHosts else {
            foldedHosts += 1
            return nil
        }
        hosts.insert(host)
        return host
    }

    /// `type`, or ``otherResultTypes`` once the report has named ``maxResultTypes`` others.
    mutating func admit(resultType type: ResultType) -> ResultType {
        if resultTypes.contains(type.name) { return type }
        guard resultTypes.count < Self.maxResultTypes else {
            foldedResultTypes += 1
            return ResultType(canonicalising: Self.otherResultTypes)
        }
        resultTypes.insert(type.name)
        return type
    }

    /// The report's notes, cut to ``maxNotes`` with the number left out, and the folding said.
    func finish(_ notes: [String]) -> [String] {
        var notes = notes
        if notes.count > Self.maxNotes {
            let dropped = notes.count - Self.maxNotes
            notes.removeLast(dropped)
            notes.append("… and \(dropped) more notes")
        }
        if foldedHosts > 0 {
            notes.append(
                "\(foldedHosts) failure details name MX hosts beyond the first \(Self.maxHosts) distinct ones; counted without their host")
        }
        if foldedResultTypes > 0 {
            notes.append(
                "\(foldedResultTypes) failure details have result types beyond the first \(Self.maxResultTypes) distinct ones; "
                    + "counted as \(Self.otherResultTypes)")
        }
        return notes
    }
}
