import Testing

@testable import TLSRPTCore

/// Expected A-labels were computed with Python (`codecs.encode(name, "idna")` for whole names,
/// `label.encode("punycode")` for single labels), not with the code under test.
struct HostNameTests {
    @Test(arguments: [
        ("Mail.Example.de.", "mail.example.de"),
        ("mail.example.de", "mail.example.de"),
        ("  MX1.Example.COM\t", "mx1.example.com"),
        ("MX1.EXAMPLE.COM.", "mx1.example.com"),
        ("xn--bcher-kva.example", "xn--bcher-kva.example"),
        ("XN--BCHER-KVA.example.", "xn--bcher-kva.example"),
    ])
    func asciiNamesAreTrimmedLowerCasedAndLoseOneTrailingDot(raw: String, expected: String) {
        #expect(HostName.normalise(raw) == expected)
    }

    @Test(arguments: [
        ("bücher.example", "xn--bcher-kva.example"),
        ("Bücher.Example.", "xn--bcher-kva.example"),
        ("BÜCHER.example", "xn--bcher-kva.example"),
        ("münchen.de", "xn--mnchen-3ya.de"),
        ("mañana.com", "xn--maana-pta.com"),
        ("例え.テスト", "xn--r8jz45g.xn--zckzah"),
        ("пример.испытание", "xn--e1afmkfd.xn--80akhbyknj4f"),
        ("mx.ドメイン名例.jp.", "mx.xn--eckwd4c7cu47r2wf.jp"),
    ])
    func uLabelsBecomeALabels(raw: String, expected: String) {
        #expect(HostName.normalise(raw) == expected)
    }

    @Test func decomposedInputIsComposedFirst() {
        // "u" + COMBINING DIAERESIS is the same name as "ü".
        #expect(HostName.normalise("bu\u{0308}cher.example") == "xn--bcher-kva.example")
    }

    @Test func ideographicFullStopsSeparateLabels() {
        #expect(HostName.normalise("例え。テスト") == "xn--r8jz45g.xn--zckzah")
        #expect(HostName.normalise("bücher．example") == "xn--bcher-kva.example")
    }

    @Test func sharpSIsKeptAsIDNA2008Does() {
        // IDNA 2003 would map ß to "ss"; IDNA 2008 keeps it. Python: "straße".encode("punycode") == b"strae-oqa".
        #expect(HostName.normalise("straße.de") == "xn--strae-oqa.de")
    }

    @Test(arguments: [("", ""), ("   ", ""), (".", ""), ("a.example..", "a.example.")])
    func emptyAndDegenerateNames(raw: String, expected: String) {
        #expect(HostName.normalise(raw) == expected)
    }

    @Test(arguments: [
        ("bücher", "bcher-kva"),
        ("ü", "tda"),
        ("aü", "a-eha"),
        ("straße", "strae-oqa"),
        // Samples from RFC 3492 §7.1: Chinese, Czech (capitals are basic code points, kept), Japanese, Korean.
        ("他们为什么不说中文", "ihqwcrb4cv8a8dqg056pqjye"),
        ("Pročprostěnemluvíčesky", "Proprostnemluvesky-uyb24dma41a"),
        ("3年B組金八先生", "3B-ww4c5e180e575a65lsy2b"),
        ("안녕하세요", "o70b841ad5c9qb763b"),
        ("😀", "e28h"),
    ])
    func punycodeMatchesAnIndependentEncoder(label: String, expected: String) {
        #expect(HostName.Punycode.encode(label.unicodeScalars.map(\.value)) == expected)
    }

    @Test func trimmedLowercasedHandlesBothPaths() {
        #expect(HostName.trimmedLowercased(" Certificate-Expired ") == "certificate-expired")
        #expect(HostName.trimmedLowercased("already") == "already")
        #expect(HostName.trimmedLowercased(" ÄÖÜ ") == "äöü")
        #expect(HostName.trimmedLowercased("  \t") == "")
        #expect(HostName.trimmedLowercased("x: MODE "[...].dropFirst(2)) == "mode")
    }
}
