import Foundation
import TLSRPTTestSupport
import Testing

/// Issue #8's battery: whatever anyone on the Internet sends, through every source (a file, a maildir
/// message, standard input), `tlsrpt ingest` gives one line naming the input and why, exits 1 (0 for
/// `ingest -`, with the rejection recorded), stays under 256 MiB of resident memory, and removes nothing.
///
/// Inputs are generated on the fly in a temporary folder; the heaviest (a 100 MB base64 part, a 40 MB
/// JSON file, a 300 MB gzip bomb) run once per source.
@Suite(.serialized)
struct HostileInputTests {
    static let memoryCeiling = 256 << 20

    @Test(arguments: HostileInput.all)
    func rejectedWithOneLineFromEverySource(_ input: HostileInput) throws {
        let dir = TemporaryDirectory("tlsrpt-hostile")
        let path = dir.file(input.fileName)
        try input.write(path)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)

        // A plain file: exit 1, one line naming it, the file left as it was.
        let file = try MeasuredProcess.run(["ingest", "--db", dir.file("file.sqlite"), path])
        #expect(file.status == 1, "\(input.name) as a file: \(file.stderr)")
        #expect(file.stdout == "ingested 0, duplicates 0, rejected 1\n")
        try expectOneLine(file, naming: path, input: input)
        #expect((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) == size, "the file must stay as it was")
        try expectBoundedMemory(file, input: input, source: "file")
        try expectCheckPasses(dir.file("file.sqlite"), rejections: 1)

        // A maildir message: exit 1, one line, the message moved to .Rejected, nothing lost.
        let maildir = dir.file("Maildir")
        for sub in ["cur", "new", "tmp"] {
            try FileManager.default.createDirectory(atPath: "\(maildir)/\(sub)", withIntermediateDirectories: true)
        }
        let messagePath = "\(maildir)/new/1700000000.M1P1.host"
        if input.isMail {
            try FileManager.default.copyItem(atPath: path, toPath: messagePath)
        } else {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            try Data(ReportMessage.make(attachment: Array(bytes))).write(to: URL(fileURLWithPath: messagePath))
        }
        let mail = try MeasuredProcess.run(["ingest", "--db", dir.file("maildir.sqlite"), maildir])
        #expect(mail.status == 1, "\(input.name) in a maildir: \(mail.stderr)")
        try expectOneLine(mail, naming: messagePath, input: input)
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(maildir)/new").isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(maildir)/.Rejected/cur") == ["1700000000.M1P1.host:2,"])
        try expectBoundedMemory(mail, input: input, source: "maildir")
        try expectCheckPasses(dir.file("maildir.sqlite"), rejections: 1)

        // Standard input (an /etc/aliases pipe): exit 0 so the MTA does not retry, the rejection recorded.
        let stdin = try MeasuredProcess.run(["ingest", "--db", dir.file("stdin.sqlite"), "-"], stdinPath: path)
        #expect(stdin.status == 0, "\(input.name) on standard input: \(stdin.stderr)")
        #expect(stdin.stdout == "ingested 0, duplicates 0, rejected 1\n")
        try expectOneLine(stdin, naming: "-", input: input)
        try expectBoundedMemory(stdin, input: input, source: "stdin")
        try expectCheckPasses(dir.file("stdin.sqlite"), rejections: 1)
    }

    func expectOneLine(_ output: MeasuredProcess.Output, naming name: String, input: HostileInput) throws {
        let lines = output.stderrLines
        #expect(lines.count == 1, "\(input.name): expected one line, got \(lines.count): \(output.stderr.prefix(2000))")
        let line = try #require(lines.first)
        #expect(line.hasPrefix(name + ": "), "\(input.name): the line must name the input: \(line.prefix(300))")
        #expect(line.utf8.count < 400, "\(input.name): a reason is one short line, got \(line.utf8.count) bytes")
        if let expected = input.reason {
            #expect(line.localizedCaseInsensitiveContains(expected), "\(input.name): \(line)")
        }
    }

    func expectBoundedMemory(_ output: MeasuredProcess.Output, input: HostileInput, source: String) throws {
        guard let peak = output.peakRSS else { return }
        #expect(peak <= Self.memoryCeiling, "\(input.name) via \(source): peak RSS \(peak >> 20) MiB")
        HostileInput.record(peak: peak, input: input.name, source: source)
    }

    func expectCheckPasses(_ db: String, rejections: Int) throws {
        let check = try TLSRPTProcess.run(["check", "--db", db])
        #expect(check.status == 0, "tlsrpt check: \(check.stderr)")
        #expect(check.stdout.contains(": 0 reports, 0 policies, 0 failure details, \(rejections) rejections"), "\(check.stdout)")
    }

    /// Small inputs that inflate to large valid reports: a batch is bounded by what it holds after
    /// decompression and decoding, not by the bytes read (12 files of 60 KB, 180 MiB of reports).
    @Test func aFolderOfSmallGzipFilesThatInflateToLargeReportsStaysBounded() throws {
        let dir = TemporaryDirectory("tlsrpt-hostile")
        let info = String(repeating: "x", count: 1000)
        try FileManager.default.createDirectory(atPath: dir.file("in"), withIntermediateDirectories: true)
        for index in 0..<12 {
            let detail = #"{"result-type":"certificate-expired","additional-information":"\#(info)","failed-session-count":1}"#
            let raw = dir.file("in/r\(index).json")
            try HostileInput.writeSpliced(raw, unit: detail + ",", last: detail, totalBytes: 15 << 20)
            // Distinct report ids, so that every report is stored.
            var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: raw)))
            let id = Array("2026-11-22T00:00:00Z_example.com".utf8)
            let at = try #require(bytes.firstRange(of: id))
            bytes.replaceSubrange(at, with: Array(String(format: "%032d", index).utf8))
            try Data(bytes).write(to: URL(fileURLWithPath: raw))
            try HostileInput.shell("gzip -9 '\(raw)'")
        }
        let output = try MeasuredProcess.run(["ingest", "--db", dir.file("db.sqlite"), dir.file("in")])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout == "ingested 12, duplicates 0, rejected 0\n")
        if let peak = output.peakRSS {
            #expect(peak <= Self.memoryCeiling, "peak RSS \(peak >> 20) MiB")
            HostileInput.record(peak: peak, input: "12 gzip files inflating to 15 MiB reports", source: "folder")
        }
    }

    @Test func peakMemoryIsPrinted() {
        // Runs after the battery in this serialized suite; the figures go into docs/ROBUSTNESS.md.
        for entry in HostileInput.highest(5) {
            print("hostile battery: peak RSS \(entry.peak >> 20) MiB for \(entry.input) via \(entry.source)")
        }
    }

}

/// One hostile input: a name, the file it is written to, and the words its one-line reason must contain.
struct HostileInput: Sendable, CustomTestStringConvertible {
    var name: String
    var fileName: String
    var isMail = false
    var reason: String?
    var write: @Sendable (String) throws -> Void

    var testDescription: String { name }

    nonisolated(unsafe) static var peaks: [(peak: Int, input: String, source: String)] = []
    static let lock = NSLock()
    static func record(peak: Int, input: String, source: String) {
        lock.withLock { peaks.append((peak, input, source)) }
    }
    static func highest(_ count: Int) -> [(peak: Int, input: String, source: String)] {
        lock.withLock { Array(peaks.sorted { $0.peak > $1.peak }.prefix(count)) }
    }

    static let policy = #"{"policy-type":"sts","policy-domain":"example.com"}"#

    /// A report whose first policy's summary and failure details are spliced in as JSON text.
    static func report(
        summary: String = #""total-successful-session-count":5,"total-failure-session-count":0"#, details: String = "[]"
    )
        -> [UInt8]
    {
        reportJSON(policies: #"[{"policy":\#(policy),"summary":{\#(summary)},"failure-details":\#(details)}]"#)
    }

    static let all: [HostileInput] = [
        HostileInput(name: "gzip bomb (300 MB of zeros in 300 KB)", fileName: "bomb.json.gz", reason: "more than") { path in
            try shell("head -c 300000000 /dev/zero | gzip -9 > '\(path)'")
        },
        HostileInput(name: "gzip bomb inside gzip", fileName: "bomb2.json.gz", reason: "more than") { path in
            try shell("head -c 300000000 /dev/zero | gzip -9 | gzip -9 > '\(path)'")
        },
        HostileInput(name: "three gzip layers", fileName: "triple.json.gz", reason: "nested gzip layers") { path in
            try Data(report()).write(to: URL(fileURLWithPath: path + ".raw"))
            try shell("gzip -c '\(path).raw' | gzip -c | gzip -c > '\(path)'; rm '\(path).raw'")
        },
        HostileInput(name: "truncated gzip", fileName: "truncated.json.gz", reason: "truncated") { path in
            try Data(report(details: manyDetails(200))).write(to: URL(fileURLWithPath: path + ".raw"))
            try shell(
                "gzip -c '\(path).raw' > '\(path).gz'; head -c $(( $(stat -c %s '\(path).gz') / 2 )) '\(path).gz' > '\(path)'; rm '\(path).raw' '\(path).gz'"
            )
        },
        HostileInput(name: "corrupt gzip", fileName: "corrupt.json.gz", reason: "corrupt") { path in
            try Data(report(details: manyDetails(200))).write(to: URL(fileURLWithPath: path + ".raw"))
            try shell("gzip -c '\(path).raw' > '\(path).gz'; rm '\(path).raw'")
            var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path + ".gz")))
            for index in stride(from: 20, to: bytes.count - 20, by: 7) { bytes[index] ^= 0x5A }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            try FileManager.default.removeItem(atPath: path + ".gz")
        },
        HostileInput(name: "random bytes after a gzip magic", fileName: "random.gz") { path in
            var generator = SystemRandomNumberGenerator()
            let bytes: [UInt8] = [0x1F, 0x8B] + (0..<65_536).map { _ in UInt8.random(in: 0...255, using: &generator) }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        },
        HostileInput(name: "arrays nested 500,000 deep", fileName: "deep-arrays.json", reason: "nesting deeper") { path in
            try Data(repeating: UInt8(ascii: "["), count: 500_000).write(to: URL(fileURLWithPath: path))
        },
        HostileInput(name: "objects nested 300,000 deep", fileName: "deep-objects.json", reason: "nesting deeper") { path in
            try Data(String(repeating: #"{"a":"#, count: 300_000).utf8).write(to: URL(fileURLWithPath: path))
        },
        HostileInput(name: "a count beyond 64 bits", fileName: "huge-count.json", reason: "64 bits") { path in
            try write(report(summary: #""total-successful-session-count":123456789012345678901234567890,"total-failure-session-count":0"#), path)
        },
        HostileInput(name: "a count of 1e400", fileName: "1e400.json", reason: "1e400") { path in
            try write(report(summary: #""total-successful-session-count":1e400,"total-failure-session-count":0"#), path)
        },
        HostileInput(name: "a negative count", fileName: "negative.json", reason: "non-negative") { path in
            try write(report(summary: #""total-successful-session-count":-5,"total-failure-session-count":0"#), path)
        },
        HostileInput(name: "a count as a string", fileName: "string-count.json", reason: "total-successful-session-count") { path in
            try write(report(summary: #""total-successful-session-count":"5","total-failure-session-count":0"#), path)
        },
        HostileInput(name: "invalid UTF-8", fileName: "latin1.json", reason: "UTF-8") { path in
            try write(reportJSON(organization: "\"Gr\u{FFFD}n\"").replacing([0xEF, 0xBF, 0xBD], with: [0xFC, 0xFF]), path)
        },
        HostileInput(name: "a NUL byte in a string", fileName: "nul.json", reason: "control character") { path in
            try write(reportJSON(organization: "\"Goo\u{1}gle\"").replacing([0x01], with: [0x00]), path)
        },
        HostileInput(name: "a UTF-16 file", fileName: "utf16.json", reason: "UTF-16") { path in
            let text = String(decoding: report(), as: UTF8.self)
            try Data([0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }).write(to: URL(fileURLWithPath: path))
        },
        HostileInput(name: "trailing garbage after the JSON", fileName: "trailing.json", reason: "after the end") { path in
            try write(report() + Array("\n<html>garbage</html>".utf8), path)
        },
        HostileInput(name: "a date that does not parse", fileName: "bad-date.json", reason: "RFC 3339") { path in
            try write(reportJSON(start: "April fools"), path)
        },
        HostileInput(name: "a 40 MB JSON file", fileName: "big.json", reason: "larger than") { path in
            try writeSpliced(path, unit: #"{"result-type":"x","failed-session-count":1},"#, last: "{}", totalBytes: 40_000_000)
        },
        HostileInput(name: "16 MiB of tiny JSON values", fileName: "tiny-values.json", reason: "values in one document") { path in
            try writeSpliced(path, unit: "0,", last: "0", totalBytes: (16 << 20) - 4096)
        },
        HostileInput(name: "an object of 500,000 members ending in a duplicate", fileName: "members.json", reason: "appears twice") { path in
            var text = #"{"k0":0"#
            text.reserveCapacity(8_000_000)
            for index in 1..<500_000 { text += #","k\#(index)":0"# }
            text += #","k0":1}"#
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        },
        HostileInput(name: "an empty file", fileName: "empty.json", reason: "empty") { path in
            try Data().write(to: URL(fileURLWithPath: path))
        },
        HostileInput(name: "a 2 MB header line", fileName: "long-header.eml", isMail: true, reason: "header section") { path in
            try write(Array("X-Junk: \(String(repeating: "a", count: 2_000_000))\r\n".utf8) + ReportMessage.make(attachment: report()), path)
        },
        HostileInput(name: "50,000 nested multiparts", fileName: "nested.eml", isMail: true, reason: "levels deep") { path in
            var text = "From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b0\"\r\n\r\n"
            for level in 1...50_000 { text += "--b\(level - 1)\r\nContent-Type: multipart/mixed; boundary=\"b\(level)\"\r\n\r\n" }
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        },
        HostileInput(name: "a boundary that never closes", fileName: "unclosed.eml", isMail: true, reason: "never appears") { path in
            let text =
                "From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; boundary=\"closed-never\"\r\n\r\n"
                + String(repeating: "text, but no delimiter line at all\r\n", count: 10_000)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        },
        HostileInput(name: "a base64 part of 100 MB", fileName: "huge-part.eml", isMail: true, reason: "limit") { path in
            let message = String(decoding: ReportMessage.make(attachment: Array("PLACEHOLDER".utf8)), as: UTF8.self)
            let parts = message.components(separatedBy: Data("PLACEHOLDER".utf8).base64EncodedString())
            try writeRepeated(
                path, prefix: Array(parts[0].utf8), unit: Array((String(repeating: "QUJD", count: 19) + "\r\n").utf8),
                totalBytes: 100_000_000, suffix: Array(parts[1].utf8))
        },
    ]

    static func manyDetails(_ count: Int) -> String {
        "["
            + (0..<count).map { #"{"result-type":"certificate-expired","sending-mta-ip":"192.0.2.\#($0 % 250)","failed-session-count":\#($0)}"# }
            .joined(separator: ",") + "]"
    }

    /// A report whose first policy's failure details are `unit` repeated, then `last`, about `totalBytes` in all.
    static func writeSpliced(_ path: String, unit: String, last: String, totalBytes: Int) throws {
        let text = String(decoding: report(details: "[SPLICE_HERE]"), as: UTF8.self)
        let parts = text.components(separatedBy: "SPLICE_HERE")
        try writeRepeated(path, prefix: Array(parts[0].utf8), unit: Array(unit.utf8), totalBytes: totalBytes, suffix: Array((last + parts[1]).utf8))
    }

    static func write(_ bytes: [UInt8], _ path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// Writes `prefix`, then `unit` repeated up to about `totalBytes`, then `suffix`, in 1 MiB chunks.
    static func writeRepeated(_ path: String, prefix: [UInt8], unit: [UInt8], totalBytes: Int, suffix: [UInt8]) throws {
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.write(contentsOf: prefix)
        let perChunk = max(1, (1 << 20) / unit.count)
        let chunk = Data([[UInt8]](repeating: unit, count: perChunk).joined())
        var written = prefix.count
        while written + chunk.count + suffix.count <= totalBytes {
            try handle.write(contentsOf: chunk)
            written += chunk.count
        }
        let rest = (totalBytes - written - suffix.count) / unit.count
        if rest > 0 { try handle.write(contentsOf: Data([[UInt8]](repeating: unit, count: rest).joined())) }
        try handle.write(contentsOf: suffix)
    }

    static func shell(_ script: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
    }
}

extension Array where Element == UInt8 {
    fileprivate func replacing(_ old: [UInt8], with new: [UInt8]) -> [UInt8] {
        guard let range = firstRange(of: old) else { return self }
        var copy = self
        copy.replaceSubrange(range, with: new)
        return copy
    }
}
