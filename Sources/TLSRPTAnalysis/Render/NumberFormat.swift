import Foundation

/// Numbers as people read them in a report: `12,345` and `2.0%`.
public enum NumberFormat {
    public static func grouped(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return value < 0 ? "-" + out : out
    }

    public static func percent(_ fraction: Double) -> String {
        if fraction > 0 && fraction < 0.001 { return "<0.1%" }
        return String(format: "%.1f%%", fraction * 100)
    }
}
