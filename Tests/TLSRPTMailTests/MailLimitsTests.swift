import Testing

@testable import TLSRPTMail

/// Hostile shapes: each is refused with its error, or read, in time linear in its size.
/// (No timing is asserted; a quadratic parser would make these tests take minutes.)
struct MailLimitsTests {
    /// 50,000 multiparts, each inside the previous one.
    @Test func deepNestingIsRefused() {
        var text = "From: attacker@example.org\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n"
        for level in 1...50_000 {
            text += "--b\(level - 1)\r\nContent-Type: multipart/mixed; boundary=b\(level)\r\n\r\n"
        }
        let error = #expect(throws: MailError.self) { try ReportMailReader.read(Array(text.utf8)) }
        #expect(error?.code == .tooDeep)
    }

    /// Nesting up to the limit is fine; one more level is not.
    @Test func depthLimitIsExact() throws {
        func nested(_ levels: Int) -> [UInt8] {
            var text = "From: r@example.org\r\n"
            for level in 0..<levels { text += "Content-Type: multipart/mixed; boundary=b\(level)\r\n\r\n--b\(level)\r\n" }
            text += "Content-Type: application/tlsrpt+json\r\n\r\n\(MailSamples.reportJSON)\r\n"
            return Array(text.utf8)
        }
        let limits = MailLimits(maxDepth: 3)
        #expect(try ReportMailReader.read(nested(3), limits: limits).attachments.count == 1)
        #expect(throws: MailError(.tooDeep, "")) { try ReportMailReader.read(nested(4), limits: limits) }
    }

    @Test func tooManyPartsIsRefused() {
        var text = "From: attacker@example.org\r\nContent-Type: multipart/mixed; boundary=p\r\n\r\n"
        for _ in 0..<200_000 { text += "--p\r\n\r\nx\r\n" }
        let error = #expect(throws: MailError.self) { try ReportMailReader.read(Array(text.utf8)) }
        #expect(error?.code == .tooManyParts)
    }

    @Test func partCountLimitIsExact() throws {
        // The message, the multipart is the same node, plus its parts: 1 + n nodes.
        func parts(_ count: Int) -> [UInt8] {
            var text = "From: r@example.org\r\nContent-Type: multipart/mixed; boundary=p\r\n\r\n"
            for _ in 0..<count { text += "--p\r\nContent-Type: application/tlsrpt+json\r\n\r\n{}\r\n" }
            return Array((text + "--p--\r\n").utf8)
        }
        let limits = MailLimits(maxParts: 5)
        #expect(try ReportMailReader.read(parts(4), limits: limits).attachments.count == 4)
        #expect(throws: MailError(.tooManyParts, "")) { try ReportMailReader.read(parts(5), limits: limits) }
    }

    /// A 2 MB header line, with and without a line end somewhere after it.
    @Test(arguments: ["", "\r\n\r\nbody"])
    func hugeHeaderLineIsRefused(tail: String) {
        let bytes =
            Array("From: a@example.org\r\nX-Junk: ".utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: 2_000_000)
            + Array(tail.utf8)
        let error = #expect(throws: MailError.self) { try ReportMailReader.read(bytes) }
        #expect(error?.code == .headerTooLarge)
    }

    /// Many ordinary header lines add up to the limit too.
    @Test func manyHeaderLinesAreRefused() {
        let line = Array("X-Spam: \(String(repeating: "b", count: 90))\r\n".utf8)
        var bytes = Array("From: a@example.org\r\n".utf8)
        for _ in 0..<2_000 { bytes += line }
        bytes += Array("\r\nbody".utf8)
        #expect(throws: MailError(.headerTooLarge, "")) {
            try ReportMailReader.read(bytes, limits: MailLimits(maxHeaderBytes: 100_000))
        }
        #expect(throws: MailError(.noReportFound, "")) {
            try ReportMailReader.read(bytes, limits: MailLimits(maxHeaderBytes: 300_000))
        }
    }

    /// A boundary that never closes over a large body: the body is one part, read to the end.
    @Test func unclosedBoundaryOverLargeBody() throws {
        var text = "From: r@example.org\r\nContent-Type: multipart/mixed; boundary=never\r\n\r\n--never\r\n"
        text += "Content-Type: application/tlsrpt+gzip\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        let line = "H4sIAAAAAAACA6tWyi9KT8zLrEosyczP081LzE1VslJyrUjMLchJVfDMS9ZT0lEqSi3ILyrRzUwB\r\n"
        let lines = 20_000
        text += String(repeating: line, count: lines)
        let mail = try ReportMailReader.read(Array(text.utf8))
        #expect(mail.attachments.first?.bytes.count == lines * 57)
    }

    /// A 4 MB base64 body on a single line (no line length limit applies to bodies).
    @Test func longBase64LineDecodes() throws {
        let quantum = "AAEC"  // 00 01 02
        let count = 1_000_000
        let text = "From: r@example.org\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        let bytes = Array(text.utf8) + Array(String(repeating: quantum, count: count).utf8)
        let root = try MIMEPart(parsing: bytes)
        let body = root.decodedBody
        #expect(body.count == 3 * count)
        #expect(body.prefix(6).elementsEqual([0, 1, 2, 0, 1, 2]))
    }

    @Test func defaultLimits() {
        #expect(MailLimits.default == MailLimits(maxDepth: 16, maxParts: 1000, maxHeaderBytes: 1_048_576))
    }
}
