import TLSRPTCore
/// Escaping for text and attribute values in the HTML summary: every report field passes through it,
/// since senders (and anyone who can POST a report) choose those strings.
package enum HTMLText {
    package static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in UntrustedText.sanitised(text).unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Escapes text and shows the catalogue's `command` spans as `<code>`.
    package static func escapeKeepingCode(_ text: String) -> String {
        text.split(separator: "`", omittingEmptySubsequences: false).enumerated().map { index, part in
            index.isMultiple(of: 2) ? escape(String(part)) : "<code>" + escape(String(part)) + "</code>"
        }.joined()
    }
}
