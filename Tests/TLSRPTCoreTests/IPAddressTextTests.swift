import Testing

@testable import TLSRPTCore

/// Expected texts were produced by Python's `ipaddress` (`str(ip_address(x))`), except where a
/// comment says the value was written by hand (IPv4-mapped rendering and zone ids, where our
/// documented choice differs from Python 3.11).
struct IPAddressTextTests {
    @Test(arguments: [
        // RFC 8460's own example and the digest's mixed-case case.
        ("2001:db8:abcd:0012::1", "2001:db8:abcd:12::1"),
        ("2001:DB8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("2001:db8:0:0:0:0:2:1", "2001:db8::2:1"),
        ("2001:db8::0:1", "2001:db8::1"),
        // One zero group is not compressed.
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
        ("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"),
        ("::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8"),
        // The longest run wins; the first on a tie.
        ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),
        ("0:0:1:0:0:0:1:0", "0:0:1::1:0"),
        ("1:0:0:2:0:0:3:4", "1::2:0:0:3:4"),
        ("2001:db8:0:0:0:0:0:0", "2001:db8::"),
        ("::", "::"),
        ("0:0:0:0:0:0:0:0", "::"),
        ("::1", "::1"),
        ("1::", "1::"),
        ("FE80::1", "fe80::1"),
        ("0001:02:003:0004::", "1:2:3:4::"),
        ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"),
        // Embedded IPv4 that is not IPv4-mapped is written in hex.
        ("64:ff9b::192.0.2.33", "64:ff9b::c000:221"),
        ("::1.2.3.4", "::102:304"),
        ("1:2:3:4:5::1.2.3.4", "1:2:3:4:5:0:102:304"),
    ])
    func ipv6IsWrittenAsRFC5952Says(raw: String, expected: String) {
        #expect(IPAddressText.canonical(raw) == expected)
    }

    @Test func ipv4MappedKeepsItsDottedTail() {
        // By hand: RFC 5952 §5 recommends the mixed notation for ::ffff:0:0/96.
        #expect(IPAddressText.canonical("::ffff:1.2.3.4") == "::ffff:1.2.3.4")
        #expect(IPAddressText.canonical("::FFFF:0102:0304") == "::ffff:1.2.3.4")
        #expect(IPAddressText.canonical("0:0:0:0:0:ffff:c000:0221") == "::ffff:192.0.2.33")
    }

    @Test func differentSpellingsOfOneAddressCompareEqual() {
        let spellings = ["2001:db8:abcd:0012::1", "2001:DB8:ABCD:12:0:0:0:1", "2001:0db8:abcd:0012:0000:0000:0000:0001"]
        #expect(Set(spellings.map(IPAddressText.canonical)) == ["2001:db8:abcd:12::1"])
        #expect(IPAddressText.canonical("::ffff:192.0.2.1") == IPAddressText.canonical("::FFFF:C000:201"))
    }

    @Test(arguments: [
        "1:2:3:4:5:6::1.2.3.4", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "00000::1", "1:2:3", ":1::", "1:", ":::", "1:::2",
        "[::1]", "g::1", "1.2.3.4::", "::1.2.3", "::256.1.1.1", "::01.2.3.4", "1:2:3:4:5:6:7:1.2.3.4", "1:2:3:4:5:1.2.3.4",
        "::ffff:1.2.3.4:1",
        // By hand: zone identifiers are refused (Python 3.11 accepts them).
        "::1%eth0", "fe80::1%25en0",
    ])
    func invalidIPv6IsNotAnIP(raw: String) {
        #expect(IPAddressText.canonical(raw) == nil)
    }

    @Test(arguments: ["192.0.2.1", "0.0.0.0", "255.255.255.255", "10.0.0.1"])
    func validIPv4IsAlreadyCanonical(raw: String) {
        #expect(IPAddressText.canonical(raw) == raw)
    }

    @Test(arguments: [
        "010.1.2.3", "1.2.3.04", "256.1.1.1", "1.2.3", "1.2.3.4.", "1..2.3", "1.2.3.4.5", "", "   ", "x.x.x.x", "1.2.3.-4",
        "１.2.3.4", "0x1.2.3.4", "1.2.3.4 5", "1234.1.1.1",
    ])
    func invalidIPv4IsNotAnIP(raw: String) {
        #expect(IPAddressText.canonical(raw) == nil)
    }

    @Test func surroundingWhiteSpaceIsIgnored() {
        #expect(IPAddressText.canonical(" 192.0.2.1\t") == "192.0.2.1")
        #expect(IPAddressText.canonical(" 2001:DB8::1 ") == "2001:db8::1")
    }
}
