/// The file a per-domain digest is written to: `<domain>.<extension>` inside the digest folder.
///
/// Policy domains come from reports, which strangers write: the name keeps only what a host name holds
/// (letters, digits, `.`, `-`, `_`, lower-cased), replaces anything else with `_`, never starts with a dot
/// (no `..`, no hidden files), and is at most 200 bytes, so a digest can never be written outside the folder
/// or over another file than its own.
package enum DigestFileName {
    static let maxStemBytes = 200

    /// The file name for `domain`, or nil when nothing usable is left of it.
    package static func name(domain: String, format: SummaryFormat) -> String? {
        var stem = ""
        for scalar in domain.lowercased().unicodeScalars {
            guard stem.utf8.count < maxStemBytes else { break }
            switch scalar {
            case "a"..."z", "0"..."9", "-", "_", ".": stem.unicodeScalars.append(scalar)
            default: stem.append("_")
            }
        }
        if stem.hasPrefix(".") { stem = "_" + stem.dropFirst() }
        guard !stem.isEmpty else { return nil }
        return stem + "." + format.fileExtension
    }
}

extension SummaryFormat {
    /// `txt`, `md`, `json`, `csv` or `html`.
    package var fileExtension: String {
        switch self {
        case .text: "txt"
        case .markdown: "md"
        case .json: "json"
        case .csv: "csv"
        case .html: "html"
        }
    }
}
