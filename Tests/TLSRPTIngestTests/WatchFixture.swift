import Foundation
import TLSRPTStore

#if canImport(Glibc)
    import Glibc
#endif

/// Reports, report mail and folders for the watch tests: every report has its own report-id, so that the
/// number stored is the number delivered exactly when each was stored once.
enum WatchFixture {
    static func reportJSON(_ id: String, sessions: Int = 1) -> String {
        #"{"organization-name":"Google Inc.","date-range":{"start-datetime":"2026-11-20T00:00:00Z","end-datetime":"2026-11-20T23:59:59Z"},"contact-info":"x@google.com","report-id":"\#(id)","policies":[{"policy":{"policy-type":"sts","policy-domain":"example.com"},"summary":{"total-successful-session-count":\#(sessions),"total-failure-session-count":0}}]}"#
    }

    /// A report mail as Google sends them: multipart/report with the JSON as a base64 attachment.
    static func reportMail(_ id: String) -> String {
        let encoded = Data(reportJSON(id).utf8).base64EncodedString(options: [
            .lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed,
        ])
        let lines = [
            "From: noreply-smtp-tls-reporting@google.com",
            "To: tlsrpt@example.com",
            "Subject: Report Domain: example.com Submitter: google.com Report-ID: <\(id)>",
            "Date: Fri, 20 Nov 2026 12:00:00 +0000",
            "Message-ID: <\(id)@google.com>",
            "TLS-Report-Domain: example.com",
            "TLS-Report-Submitter: google.com",
            "MIME-Version: 1.0",
            "Content-Type: multipart/report; report-type=\"tlsrpt\"; boundary=\"b-\(id)\"",
            "",
            "--b-\(id)",
            "Content-Type: text/plain; charset=us-ascii",
            "",
            "This is an aggregate TLS report from google.com",
            "--b-\(id)",
            "Content-Type: application/tlsrpt+json",
            "Content-Transfer-Encoding: base64",
            "Content-Disposition: attachment; filename=\"google.com!example.com!1795132800!1795219199!\(id).json\"",
            "",
            encoded,
            "--b-\(id)--",
            "",
        ]
        return lines.joined(separator: "\r\n")
    }

    static func temporaryFolder(_ label: String) throws -> String {
        let path = NSTemporaryDirectory() + "tlsrpt-\(label)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Starts `binary watch ARGUMENTS`, its log (stderr) going to `log`, which it creates.
    static func startWatch(_ binary: String, _ arguments: [String], log: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["watch"] + arguments
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func makeMaildir(_ path: String) throws {
        for sub in ["cur", "new", "tmp"] {
            try FileManager.default.createDirectory(atPath: "\(path)/\(sub)", withIntermediateDirectories: true)
        }
    }

    static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// Delivers as an MDA does: write the whole message in `tmp/`, then rename it into `new/`.
    static func deliver(_ message: String, to maildir: String, name: String) throws {
        try write(message, to: "\(maildir)/tmp/\(name)")
        guard rename("\(maildir)/tmp/\(name)", "\(maildir)/new/\(name)") == 0 else { throw POSIXError(.EIO) }
    }

    /// Writes a file in place in two halves with a pause between them, as a slow network copy would.
    static func writeSlowly(_ text: String, to path: String, pause: Duration) throws {
        let bytes = Array(text.utf8)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        defer { close(fd) }
        let half = bytes.count / 2
        _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress!, half) }
        Thread.sleep(forTimeInterval: Double(pause.components.attoseconds) / 1e18 + Double(pause.components.seconds))
        _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + half, bytes.count - half) }
    }

    /// Writes elsewhere on the same filesystem, then renames into `folder`, as `mv` does.
    static func moveIn(_ text: String, staging: String, to folder: String, name: String) throws {
        try write(text, to: "\(staging)/\(name)")
        guard rename("\(staging)/\(name)", "\(folder)/\(name)") == 0 else { throw POSIXError(.EIO) }
    }

    /// Polls `condition` every 10 ms until it holds or `timeout` passes; returns whether it held.
    static func wait(upTo timeout: Duration, until condition: () throws -> Bool) rethrows -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return try condition()
    }

    static func storedReportIDs(_ databasePath: String) throws -> [String] {
        guard FileManager.default.fileExists(atPath: databasePath) else { return [] }
        return try ReportStore(path: databasePath).reports(ReportFilter()).map(\.reportID)
    }

    static func names(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }
}
