import TLSRPTCore
import Foundation

/// RFC 4180 fields, guarded against formula injection: report fields come from strangers, and a
/// spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (or a tab or CR) as a formula.
package enum CSVField {
    package static func escape(_ text: String) -> String {
        // Control characters (ESC sequences) and bidi overrides would reach a terminal or a cron mail.
        var text = UntrustedText.sanitised(text)
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
            text = "'" + text
        }
        if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return text
    }

    /// A record: escaped fields joined by commas, ended by CRLF as RFC 4180 says.
    package static func record(_ fields: [String]) -> String {
        fields.map(escape).joined(separator: ",") + "\r\n"
    }
}
