import Testing

@testable import TLSRPTMail

struct RFC2047Tests {
    @Test func base64AndQ() {
        #expect(RFC2047.decode("=?utf-8?B?w6TDtsO8?=") == "äöü")
        #expect(RFC2047.decode("=?UTF-8?b?w6TDtsO8?=") == "äöü")
        #expect(RFC2047.decode("=?iso-8859-1?Q?caf=E9_cr=E8me?=") == "café crème")
        #expect(RFC2047.decode("=?us-ascii?q?plain?=") == "plain")
    }

    @Test func textAroundWordsIsKept() {
        #expect(RFC2047.decode("Re: =?utf-8?Q?caf=C3=A9?= report") == "Re: café report")
    }

    /// RFC 2047 §6.2: whitespace between adjacent encoded words is not displayed.
    @Test func blanksBetweenWordsVanish() {
        #expect(RFC2047.decode("=?utf-8?Q?a?= =?utf-8?Q?b?=") == "ab")
        #expect(RFC2047.decode("=?utf-8?Q?a?=\r\n =?utf-8?Q?b?=") == "ab")
        #expect(RFC2047.decode("=?utf-8?Q?a?= b =?utf-8?Q?c?=") == "a b c")
    }

    /// A UTF-8 character split across two words (é is C3 A9).
    @Test func characterSplitAcrossWords() {
        #expect(RFC2047.decode("=?utf-8?B?Y2Fmww==?= =?utf-8?B?qQ==?=") == "café")
    }

    @Test func differentCharsetsInOneValue() {
        #expect(RFC2047.decode("=?iso-8859-1?Q?=E9?= =?utf-8?Q?=C3=A9?=") == "éé")
    }

    @Test func languageSuffixIsIgnored() {
        #expect(RFC2047.decode("=?utf-8*en?Q?hello?=") == "hello")
    }

    @Test func malformedWordsStayAsTheyAre() {
        #expect(RFC2047.decode("=?utf-8?X?abc?=") == "=?utf-8?X?abc?=")
        #expect(RFC2047.decode("=?utf-8?Q?no end") == "=?utf-8?Q?no end")
        #expect(RFC2047.decode("a =? b") == "a =? b")
        #expect(RFC2047.decode("plain text") == "plain text")
    }

    /// The corpus's Microsoft anti-spam header: 17 us-ascii Q words in a row.
    @Test func longRunOfWords() {
        let value = "=?us-ascii?Q?soIx?=\r\n =?us-ascii?Q?Wt01s2OGdNQcemyVJQ=3D=3D?="
        #expect(RFC2047.decode(value) == "soIxWt01s2OGdNQcemyVJQ==")
    }
}
