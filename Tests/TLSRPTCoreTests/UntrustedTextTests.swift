import Testing

@testable import TLSRPTCore

/// Text from strangers reaches logs, terminals and mail only through `UntrustedText`.
struct UntrustedTextTests {
    @Test(arguments: [
        ("line\r\nforged: ok", "line??forged: ok"),
        ("\u{1B}[31mred\u{1B}[0m", "?[31mred?[0m"),
        ("a\u{7F}b\u{85}c\u{9B}d", "a?b?c?d"),
        ("moc.elpmaxe\u{202E}", "moc.elpmaxe?"),
        ("x\u{2028}y\u{2029}z", "x?y?z"),
        ("\u{2066}isolate\u{2069} \u{200E}\u{200F}\u{061C}", "?isolate? ???"),
        ("\u{FEFF}bom\u{FFF9}", "?bom?"),
    ])
    func unsafeScalarsBecomeQuestionMarks(_ input: String, _ expected: String) {
        #expect(UntrustedText.sanitised(input) == expected)
    }

    @Test func cleanTextIsReturnedAsIs() {
        let text = "mail.example.com — Microsoft Corporation, café, 例え.jp"
        #expect(UntrustedText.sanitised(text) == text)
    }

    @Test func aLimitCutsAndMarksTheCut() {
        #expect(UntrustedText.sanitised(String(repeating: "a", count: 10), limit: 4) == "aaa…")
        #expect(UntrustedText.sanitised("abcd", limit: 4) == "abcd")
        #expect(UntrustedText.sanitised("a\nb", limit: 10) == "a?b")
    }
}
