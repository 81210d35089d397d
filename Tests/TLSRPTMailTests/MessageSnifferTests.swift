import Testing

@testable import TLSRPTMail

struct MessageSnifferTests {
    @Test(arguments: [
        "From: a@example.org\r\n", "Return-Path: <x@y>\n", "X-Spam_score: 0\n", "Subject : obsolete\n",
        "From MAILER-DAEMON Fri Jul  8 12:08:34 2011\nFrom: a@example.org\n", "DKIM-Signature: v=1;",
    ])
    func messages(_ text: String) {
        #expect(MessageSniffer.looksLikeMessage(Array(text.utf8)))
    }

    @Test(arguments: [
        MailSamples.reportJSON, "\u{FEFF}{\"a\":1}", "  {\"a\": 1}", "<?xml version=\"1.0\"?>", "", "\r\nFrom: a\r\n",
        "Hello world: not a header", "no colon at all", "1st: digits cannot start a name",
    ])
    func notMessages(_ text: String) {
        #expect(!MessageSniffer.looksLikeMessage(Array(text.utf8)))
    }

    @Test func gzipIsNotAMessage() {
        #expect(!MessageSniffer.looksLikeMessage([0x1F, 0x8B, 0x08, 0x00]))
    }
}
