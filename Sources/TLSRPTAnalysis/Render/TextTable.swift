import TLSRPTCore
/// A plain-text table for mail clients: fixed-width columns, numbers right-aligned, cells clipped so that a
/// line stays within the width cron mail is read at.
package struct TextTable {
    package enum Alignment { case left, right }

    package var headers: [String]
    package var alignments: [Alignment]
    package var rows: [[String]] = []
    /// The widest a left-aligned cell may grow before it is clipped with an ellipsis.
    package var maxCellWidth = 40

    package init(_ headers: [String], alignments: [Alignment]) {
        self.headers = headers
        self.alignments = alignments
    }

    package mutating func add(_ row: [String]) { rows.append(row.map { UntrustedText.sanitised($0) }) }

    package func render(indent: String = "  ") -> String {
        let clipped = rows.map { row in row.map { $0.count > maxCellWidth ? String($0.prefix(maxCellWidth - 1)) + "…" : $0 } }
        var widths = headers.map(\.count)
        for row in clipped {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (i, cell) in cells.enumerated() {
                let pad = String(repeating: " ", count: max(0, widths[i] - cell.count))
                let isLast = i == cells.count - 1
                parts.append(alignments[i] == .right ? pad + cell : (isLast ? cell : cell + pad))
            }
            // An empty last cell would leave trailing blanks, which some mail software mangles.
            var text = indent + parts.joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text
        }
        var out = [line(headers), indent + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        out.append(contentsOf: clipped.map(line))
        return out.joined(separator: "\n")
    }
}
