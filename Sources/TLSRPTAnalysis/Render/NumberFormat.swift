import Foundation

/// Numbers as people read them in a report: `12,345`, `2.0%`, `1 failed session`.
package enum NumberFormat {
    package static func grouped(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return value < 0 ? "-" + out : out
    }

    /// `1 failed session`, `2 failed sessions`, `12,345 reports`: the noun in the singular for exactly one.
    package static func count(_ value: Int64, _ singular: String, plural: String? = nil) -> String {
        "\(grouped(value)) \(value == 1 ? singular : plural ?? singular + "s")"
    }

    package static func count(_ value: Int, _ singular: String, plural: String? = nil) -> String {
        count(Int64(value), singular, plural: plural)
    }

    /// A share to one decimal that never rounds across 0% or 100%: a tiny non-zero share is `<0.1%`, one
    /// short of everything is `>99.9%` (19,999 of 20,000 is not 100.0%).
    package static func percent(_ fraction: Double) -> String {
        if fraction > 0 && fraction < 0.001 { return "<0.1%" }
        if fraction < 1 && fraction > 0.999 { return ">99.9%" }
        return String(format: "%.1f%%", fraction * 100)
    }

    /// A change in percentage points, signed, never `-0.0`: `+1.2 points`, `-0.4 points`, `+<0.1 points`,
    /// `no change`.
    package static func points(_ change: Double) -> String {
        if change == 0 || !change.isFinite { return "no change" }
        let sign = change > 0 ? "+" : "-"
        if change.magnitude < 0.05 { return "\(sign)<0.1 points" }
        return sign + String(format: "%.1f", change.magnitude) + " points"
    }
}
