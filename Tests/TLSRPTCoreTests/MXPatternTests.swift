import Testing

@testable import TLSRPTCore

/// RFC 8461 §4.1 matching; the expected answers are the RFC's own rules applied by hand.
struct MXPatternTests {
    @Test(arguments: [
        ("*.example.com", "a.example.com", true),
        ("*.example.com", "mail.example.com", true),
        ("*.example.com", "example.com", false),
        ("*.example.com", "a.b.example.com", false),
        ("*.example.com", ".example.com", false),
        ("*.example.com", "aexample.com", false),
        ("*.example.com", "a.example.com.evil", false),
        ("*.Example.COM.", "A.EXAMPLE.com.", true),
        ("mx1.example.com", "mx1.example.com", true),
        ("mx1.example.com", "MX1.Example.com.", true),
        ("mx1.example.com", "mx2.example.com", false),
        ("mx1.example.com", "a.mx1.example.com", false),
        ("mx1.example.com.", "mx1.example.com", true),
    ])
    func matchesAsRFC8461Says(pattern: String, host: String, expected: Bool) {
        #expect(MXPattern(pattern).matches(host) == expected)
    }

    @Test(arguments: [
        ("mx: mx.server.com", "mx.server.com"),
        ("MX:mx.server.com.", "mx.server.com"),
        ("  *.Random.NET  ", "*.random.net"),
        ("mx:\t*.example.com", "*.example.com"),
        ("*.bücher.example", "*.xn--bcher-kva.example"),
    ])
    func textIsNormalised(raw: String, expected: String) {
        #expect(MXPattern(raw).text == expected)
    }

    @Test func uLabelHostsMatchALabelPatterns() {
        #expect(MXPattern("*.xn--bcher-kva.example").matches("mx.bücher.example"))
        #expect(MXPattern("mx.bücher.example").matches("mx.xn--bcher-kva.example."))
    }

    @Test func onlyALeadingWildcardLabelIsAWildcard() {
        #expect(MXPattern("*.example.com").isWildcard)
        #expect(!MXPattern("mx.*.example.com").isWildcard)
        #expect(!MXPattern("mx.*.example.com").matches("mx.a.example.com"))
        #expect(!MXPattern("*").matches("example"))
        #expect(!MXPattern("*example.com").matches("mail.example.com"))
    }

    @Test func emptyPatternMatchesNothing() {
        #expect(!MXPattern("").matches(""))
        #expect(!MXPattern("mx:").matches("example.com"))
    }

    @Test func equalPatternsAreEqualValues() {
        #expect(MXPattern("*.Example.com.") == MXPattern("mx: *.example.com"))
        #expect(Set([MXPattern("a.example"), MXPattern("A.example.")]).count == 1)
    }
}
