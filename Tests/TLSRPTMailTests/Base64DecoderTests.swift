import Testing

@testable import TLSRPTMail

struct Base64DecoderTests {
    private func decode(_ text: String) -> String {
        String(decoding: Base64Decoder.decode(Array(text.utf8)), as: UTF8.self)
    }

    @Test func standardPadding() {
        #expect(decode("TWFu") == "Man")
        #expect(decode("TWE=") == "Ma")
        #expect(decode("TQ==") == "M")
        #expect(decode("") == "")
    }

    @Test func missingPadding() {
        #expect(decode("TWE") == "Ma")
        #expect(decode("TQ") == "M")
    }

    @Test func whitespaceAndLineBreaksAreSkipped() {
        #expect(decode(" TW\r\nFu\tTW\nE=  \r\n") == "ManMa")
    }

    /// Mailers that encode line by line pad in the middle of a body.
    @Test func paddingInTheMiddle() {
        #expect(decode("TQ==TWE=TWFu") == "MMaMan")
    }

    @Test func bytesOutsideTheAlphabetAreSkipped() {
        #expect(decode("TW!F*u") == "Man")
        #expect(Base64Decoder.decode(Array("/+/+".utf8)) == [0xFF, 0xEF, 0xFE])
    }

    /// A lone trailing character carries no whole byte.
    @Test func loneTrailingCharacterIsDropped() {
        #expect(decode("TWFuT") == "Man")
    }

    @Test func decodesSlices() {
        let bytes = Array("xxTWFuyy".utf8)
        #expect(Base64Decoder.decode(bytes[2..<6]) == Array("Man".utf8))
    }
}
