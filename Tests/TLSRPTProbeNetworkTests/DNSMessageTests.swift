import TLSRPTCore
import TLSRPTProbeNetwork
import Testing

/// The DNS wire format, against messages written out byte by byte (RFC 1035 §4).
struct DNSMessageTests {
    /// Header, then the question `mx1.example.com A`.
    func response(answers: [[UInt8]], flags: [UInt8] = [0x81, 0xA0]) -> [UInt8] {
        [0x12, 0x34] + flags + [0x00, 0x01, 0x00, UInt8(answers.count), 0x00, 0x00, 0x00, 0x00]
            + [3] + Array("mx1".utf8) + [7] + Array("example".utf8) + [3] + Array("com".utf8) + [0, 0x00, 0x01, 0x00, 0x01]
            + answers.flatMap { $0 }
    }

    @Test func aQueryAsksRecursivelyWithTheDOBit() {
        let query = DNSMessage.query(id: 0xBEEF, name: "example.com", type: .mx)
        #expect(Array(query.prefix(4)) == [0xBE, 0xEF, 0x01, 0x20])
        #expect(Array(query[12..<25]) == [7] + Array("example".utf8) + [3] + Array("com".utf8) + [0])
        #expect(Array(query[25..<29]) == [0x00, 0x0F, 0x00, 0x01])
        // OPT with the DO bit (0x8000 in the TTL's low half).
        #expect(Array(query.suffix(11)) == [0x00, 0x00, 0x29, 0x04, 0xD0, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00])
    }

    @Test func aCNAMEChainWithCompressionPointers() throws {
        // mx1.example.com CNAME mail.hoster-cdn.net; mail.hoster-cdn.net A 127.0.0.2 (its name a pointer to offset 45).
        let cname: [UInt8] =
            [0xC0, 0x0C, 0x00, 0x05, 0x00, 0x01, 0, 0, 0, 60, 0x00, 21]
            + [4] + Array("mail".utf8) + [10] + Array("hoster-cdn".utf8) + [3] + Array("net".utf8) + [0]
        let a: [UInt8] = [0xC0, 45, 0x00, 0x01, 0x00, 0x01, 0, 0, 0, 60, 0x00, 4, 127, 0, 0, 2]
        let message = try #require(DNSMessage.parse(response(answers: [cname, a])))
        #expect(message.id == 0x1234 && message.responseCode == 0 && message.authenticated && !message.truncated)
        #expect(
            message.answers == [
                .cname(name: "mx1.example.com", target: "mail.hoster-cdn.net"), .a(name: "mail.hoster-cdn.net", address: "127.0.0.2"),
            ])
    }

    @Test func txtStringsAreJoinedAndTLSAIsHex() throws {
        let txt: [UInt8] = [0xC0, 0x0C, 0x00, 0x10, 0x00, 0x01, 0, 0, 0, 60, 0x00, 14] + [6] + Array("v=STSv".utf8) + [6] + Array("1; id=".utf8)
        let tlsa: [UInt8] = [0xC0, 0x0C, 0x00, 0x34, 0x00, 0x01, 0, 0, 0, 60, 0x00, 5, 3, 1, 1, 0xAB, 0x0C]
        let message = try #require(DNSMessage.parse(response(answers: [txt, tlsa], flags: [0x81, 0x80])))
        #expect(!message.authenticated)
        #expect(message.answers[0] == .txt(name: "mx1.example.com", text: "v=STSv1; id="))
        #expect(message.answers[1] == .tlsa(name: "mx1.example.com", record: TLSARecord(usage: 3, selector: 1, matchingType: 1, data: "AB0C")))
    }

    @Test func malformedMessagesAreRejected() {
        #expect(DNSMessage.parse([0x12, 0x34]) == nil)
        // An answer whose length runs past the end.
        #expect(DNSMessage.parse(response(answers: [[0xC0, 0x0C, 0x00, 0x01, 0x00, 0x01, 0, 0, 0, 60, 0x00, 40, 127]])) == nil)
        // A pointer loop.
        #expect(DNSMessage.parse(response(answers: [[0xC0, 33, 0x00, 0x01, 0x00, 0x01, 0, 0, 0, 60, 0x00, 4, 1, 2, 3, 4]])) == nil)
    }

    @Test func nxdomainIsAnAnswerWithNoRecords() throws {
        let message = try #require(DNSMessage.parse(response(answers: [], flags: [0x81, 0x83])))
        #expect(message.responseCode == 3 && message.answers.isEmpty)
    }
}
