/// Every field of a report, every file name in a maildir and every reason built from them was written by a
/// stranger. Before such text reaches a terminal, a log line, a cron mail or a spreadsheet it passes through
/// here, the one sanitiser every renderer and logger uses.
///
/// Replaced by `?`:
/// - C0 and C1 controls and DEL: CR and LF forge log lines, ESC drives terminals;
/// - U+2028 and U+2029 (line and paragraph separators), which some viewers break lines at;
/// - the bidirectional controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), which reorder what a
///   person reads ("moc.elpmaxe" shown as "example.com");
/// - U+FEFF and U+FFF9–U+FFFB, invisible format characters that hide where a name starts or ends.
public enum UntrustedText {
    /// `text` with every unsafe scalar replaced by `?`. Returns `text` itself, unallocated, when it is clean.
    public static func sanitised(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { scalars.append(isUnsafe(scalar) ? "?" : scalar) }
        return String(scalars)
    }

    /// `sanitised(text)` cut to at most `limit` characters (the cut marked with `…`), for log lines and
    /// one-line messages that must stay one short line whatever a stranger sent.
    public static func sanitised(_ text: String, limit: Int) -> String {
        let clean = sanitised(text)
        guard limit > 0, clean.count > limit else { return clean }
        return String(clean.prefix(max(limit - 1, 0))) + "…"
    }

    /// Whether a scalar must not reach a person's screen as it is.
    @inlinable
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x2028, 0x2029: true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        case 0xFEFF, 0xFFF9...0xFFFB: true
        default: false
        }
    }
}
