import TLSRPTStore
import TLSRPTCore

/// Sender names as the summary groups them: `organization-name` as sent, with spellings that differ only in
/// the case of ASCII letters ("Google Inc." and "google inc.") taken as one sender, because `--sender`
/// matches that way (SQLite's NOCASE) and a table that split them would disagree with the filter.
///
/// The name shown is the bytewise-first spelling ("Google Inc."), so it does not depend on which report
/// arrived first.
enum SenderName {
    /// ASCII letters lower-cased, everything else as sent: SQLite's NOCASE.
    static func key(_ name: String) -> String {
        String(decoding: name.utf8.map { (65...90).contains($0) ? $0 + 32 : $0 }, as: UTF8.self)
    }

    /// The spelling shown for each spelling in `names`.
    static func shown(_ names: some Sequence<String>) -> [String: String] {
        // Thousands of cells name a handful of senders: key each spelling once.
        let names = Set(names)
        var first: [String: String] = [:]
        for name in names {
            let key = key(name)
            if let current = first[key], !name.utf8.lexicographicallyPrecedes(current.utf8) { continue }
            first[key] = name
        }
        var shown: [String: String] = [:]
        for name in names { shown[name] = first[key(name)] }
        return shown
    }

    /// The cells with case variants of one sender merged.
    static func merged(_ cells: SummaryCells) -> SummaryCells {
        let shown = shown(Array(cells.reportsBySender.keys) + cells.sessions.map(\.sender) + cells.failures.map(\.sender))
        guard shown.contains(where: { $0.key != $0.value }) else { return cells }
        var merged = cells
        merged.reportsBySender = [:]
        for (sender, reports) in cells.reportsBySender { merged.reportsBySender[shown[sender]!, default: 0] += reports }
        struct SessionKey: Hashable {
            var sender: String
            var domain: String?
        }
        var sessions: [SessionKey: Int] = [:]
        merged.sessions = []
        for var cell in cells.sessions {
            cell.sender = shown[cell.sender]!
            let key = SessionKey(sender: cell.sender, domain: cell.domain)
            if let i = sessions[key] {
                merged.sessions[i].add(cell)
            } else {
                sessions[key] = merged.sessions.count
                merged.sessions.append(cell)
            }
        }
        struct FailureKey: Hashable {
            var sender: String
            var domain: String?
            var resultType: String
            var mxHost: String?
        }
        var failures: [FailureKey: Int] = [:]
        merged.failures = []
        for var cell in cells.failures {
            cell.sender = shown[cell.sender]!
            let key = FailureKey(sender: cell.sender, domain: cell.domain, resultType: cell.resultType, mxHost: cell.mxHost)
            if let i = failures[key] {
                merged.failures[i].failed.addCount(cell.failed)
            } else {
                failures[key] = merged.failures.count
                merged.failures.append(cell)
            }
        }
        return merged
    }

    /// The evidence with every sender named by its shown spelling (failure groups stay apart; the findings
    /// add them up per sender).
    static func merged(_ evidence: DiagnosisEvidence) -> DiagnosisEvidence {
        let shown = shown(evidence.failures.map(\.sender) + evidence.sessions.map(\.sender))
        guard shown.contains(where: { $0.key != $0.value }) else { return evidence }
        var merged = evidence
        for i in merged.failures.indices { merged.failures[i].sender = shown[merged.failures[i].sender]! }
        var sessions: [String: Int] = [:]
        merged.sessions = []
        for var cell in evidence.sessions {
            cell.sender = shown[cell.sender]!
            let key = cell.sender + "\u{0}" + (cell.domain ?? "\u{1}")
            if let i = sessions[key] {
                merged.sessions[i].successful.addCount(cell.successful)
                merged.sessions[i].failed.addCount(cell.failed)
            } else {
                sessions[key] = merged.sessions.count
                merged.sessions.append(cell)
            }
        }
        return merged
    }
}
