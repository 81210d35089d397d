import TLSRPTCore

/// How much of a long list the formats for people (text, markdown, HTML) show.
///
/// Whatever is stored, a digest must stay one a person reads and an MTA accepts: one report naming 50,000
/// MX hosts once made a 81 MB cron mail. Those formats show the `top` most important findings and table
/// rows and say how many more there are and where to see them; JSON and CSV, for machines, keep everything.
package struct DisplayLimit: Sendable, Equatable {
    /// The most findings, and rows per table, shown; `nil` shows all (`--top 0`).
    package var top: Int?

    package init(top: Int?) {
        self.top = top.flatMap { $0 > 0 ? $0 : nil }
    }

    /// Ten: what fits a screen and a short mail.
    package static let standard = DisplayLimit(top: 10)
    package static let all = DisplayLimit(top: nil)

    /// The values inside one line (hosts of a finding, result types of a host) are cut shorter still: a
    /// line that names a hundred hosts is not read either.
    package static let perLine = 8

    /// `items` as a format shows them: all of them when they fit, otherwise the `top` most important by
    /// `isMoreImportant`, most important first, with the number left out.
    package func cut<Element>(_ items: [Element], by isMoreImportant: (Element, Element) -> Bool) -> Cut<Element> {
        guard let top, items.count > top else { return Cut(shown: items, hidden: 0) }
        return Cut(shown: Array(items.sorted(by: isMoreImportant).prefix(top)), hidden: items.count - top)
    }

    /// The first `top` of a list that is already in order of importance (findings, hosts by failures).
    package func first<Element>(_ items: [Element]) -> Cut<Element> {
        guard let top, items.count > top else { return Cut(shown: items, hidden: 0) }
        return Cut(shown: Array(items.prefix(top)), hidden: items.count - top)
    }

    /// A table of senders or policy domains: the ones with the most failed sessions, then the most
    /// sessions, then by name; in their usual (alphabetical) order when they all fit.
    package func cut(_ groups: [Summary.Group]) -> Cut<Summary.Group> {
        cut(groups) { a, b in
            (a.failedSessions, a.totalSessions, b.key ?? "") > (b.failedSessions, b.totalSessions, a.key ?? "")
        }
    }

    /// What a format shows of a list.
    package struct Cut<Element> {
        package var shown: [Element]
        /// How many were left out.
        package var hidden: Int
    }

    /// Names joined by ", " with at most `limit` of them, e.g. `a, b, c and 12 more`.
    package static func joined(_ names: [String], limit: Int = perLine) -> String {
        guard names.count > limit else { return names.joined(separator: ", ") }
        return names.prefix(limit).joined(separator: ", ") + " and \(NumberFormat.grouped(Int64(names.count - limit))) more"
    }

    /// The sum of the counts a "… and N more" line totals, saturating like every sum of stored counts.
    package static func total(_ values: [Int64]) -> Int64 { values.countSum() }

    /// The line that closes a cut list, e.g. `… and 1,234 more MX hosts: tlsrpt failures`.
    package static func moreLine(_ hidden: Int, _ what: String, see: String) -> String {
        "… and \(NumberFormat.grouped(Int64(hidden))) more \(what): \(see)"
    }
}
