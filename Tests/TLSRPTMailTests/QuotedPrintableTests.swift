import Testing

@testable import TLSRPTMail

struct QuotedPrintableTests {
    private func decode(_ text: String) -> String {
        String(decoding: QuotedPrintable.decode(Array(text.utf8)), as: UTF8.self)
    }

    @Test func escapesInEitherCase() {
        #expect(decode("a=3Db=3db") == "a=b=b")
        #expect(decode("caf=C3=A9") == "café")
    }

    @Test func softLineBreaks() {
        #expect(decode("attachme=\r\nnts") == "attachments")
        #expect(decode("attachme=\nnts") == "attachments")
        #expect(decode("attachme=  \r\nnts") == "attachments")
        #expect(decode("two =\nwords") == "two words")
        #expect(decode("end=") == "end")
    }

    @Test func aSoftBreakBeforeAnUnescapedCarriageReturnStillJoinsTheLine() {
        // CRLF text encoded without escaping its CR gives "=\r\r\n" (seen from a generator of test mail);
        // the IP address must come out whole, with no CR inside it.
        #expect(decode("\"2001:db8::f=\r\r\n3b4\",\r\r\n") == "\"2001:db8::f3b4\",\r\r\n")
        #expect(decode("old=\rmac") == "oldmac")
        #expect(decode("a = b") == "a = b")
    }

    @Test func hardLineBreaksAreKept() {
        #expect(decode("a\r\nb\nc") == "a\r\nb\nc")
    }

    /// RFC 2045 §6.7 (3): blanks at the end of an encoded line were added in transport.
    @Test func trailingBlanksAreDropped() {
        #expect(decode("a  \r\nb\t") == "a\r\nb")
        #expect(decode("a=20\r\n") == "a \r\n")
    }

    @Test func invalidEscapesAreKept() {
        #expect(decode("100=%") == "100=%")
        #expect(decode("=G1") == "=G1")
        #expect(decode("x=4") == "x=4")
    }

    @Test func encodedWordText() {
        #expect(String(decoding: QuotedPrintable.decodeEncodedWordText(Array("caf=E9_au_lait".utf8)[...]), as: UTF8.self) == "caf\u{FFFD} au lait")
        #expect(QuotedPrintable.decodeEncodedWordText(Array("=e9_".utf8)[...]) == [0xE9, 0x20])
    }
}
