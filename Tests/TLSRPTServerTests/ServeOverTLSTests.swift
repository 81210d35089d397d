import Foundation
import TLSRPTStore
import TLSRPTTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The built `tlsrpt serve` over real TLS on loopback, driven by curl as real senders drive it.
@Suite(.serialized)
struct ServeOverTLSTests {
    /// The built executable (shared with the other end-to-end tests).
    static func executable() throws -> String {
        let path = TLSRPTProcess.executable.path
        guard FileManager.default.isExecutableFile(atPath: path) else { throw TestFailure("no built tlsrpt executable at \(path)") }
        return path
    }

    struct TestFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// A self-signed certificate for localhost and 127.0.0.1.
    static func makeCertificate(in folder: URL, name: String, commonName: String) async throws -> (cert: String, key: String) {
        let cert = folder.appendingPathComponent("\(name).pem").path
        let key = folder.appendingPathComponent("\(name)-key.pem").path
        let output = try await ProcessRunner.run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                "-keyout", key, "-out", cert, "-subj", "/CN=\(commonName)", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            ])
        guard output.status == 0 else { throw TestFailure("openssl failed: \(output.stderr)") }
        return (cert, key)
    }

    /// A running `tlsrpt serve`, its port read from its "listening on" line.
    final class RunningServer: Sendable {
        let process: Process
        let port: Int
        /// The `--metrics-listen` port, when one was asked for.
        let metricsPort: Int?
        let stdoutFile: URL
        let stderrFile: URL

        init(executable: String, arguments: [String], folder: URL) async throws {
            let process = Process()
            self.process = process
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            stdoutFile = folder.appendingPathComponent("serve.out")
            stderrFile = folder.appendingPathComponent("serve.log")
            _ = FileManager.default.createFile(atPath: stdoutFile.path, contents: nil)
            _ = FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: stdoutFile)
            process.standardError = try FileHandle(forWritingTo: stderrFile)
            try process.run()
            // "listening on https://127.0.0.1:PORT/tlsrpt", and "metrics on http://HOST:PORT/metrics" when asked for.
            var found: Int?
            var metrics: Int?
            let wantsMetrics = arguments.contains("--metrics-listen")
            for _ in 0..<200 where found == nil || (wantsMetrics && metrics == nil) {
                try await Task.sleep(for: .milliseconds(50))
                let text = (try? String(contentsOf: stdoutFile, encoding: .utf8)) ?? ""
                for line in text.split(separator: "\n") {
                    guard let range = line.range(of: #":(\d+)/"#, options: .regularExpression) else { continue }
                    let port = Int(line[range].dropFirst().dropLast())
                    if line.hasPrefix("listening on ") { found = port }
                    if line.hasPrefix("metrics on ") { metrics = port }
                }
            }
            guard let found else {
                process.terminate()
                throw TestFailure("no 'listening on' line from tlsrpt serve")
            }
            self.port = found
            self.metricsPort = metrics
        }

        var log: String { (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "" }

        func signal(_ number: Int32) { kill(process.processIdentifier, number) }

        /// Waits for the exit (at most `seconds`) and returns the status, or nil if it is still running.
        func waitForExit(seconds: Int) async throws -> Int32? {
            for _ in 0..<(seconds * 20) where process.isRunning {
                try await Task.sleep(for: .milliseconds(50))
            }
            return process.isRunning ? nil : process.terminationStatus
        }
    }

    @Test func realSendersPostOverTLSThenSIGTERMExitsCleanly() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tlsrpt-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (cert, key) = try await Self.makeCertificate(in: folder, name: "cert", commonName: "first")
        let database = folder.appendingPathComponent("reports.sqlite").path
        let pidFile = folder.appendingPathComponent("serve.pid").path
        let server = try await RunningServer(
            executable: try Self.executable(),
            arguments: [
                "serve", "--db", database, "--listen", "127.0.0.1:0", "--tls-cert", cert, "--tls-key", key, "--path", "/tlsrpt",
                "--pid-file", pidFile,
            ],
            folder: folder)
        var stopped = false
        defer { if !stopped { server.process.terminate() } }
        let url = "https://127.0.0.1:\(server.port)/tlsrpt"
        let microsoft = Corpus.folder.appendingPathComponent(Corpus.microsoftGzip).path
        let google = Corpus.folder.appendingPathComponent(Corpus.googleJSON).path

        func post(_ file: String, _ type: String, cacert: String = cert) async throws -> Int {
            try await ProcessRunner.curlStatus(["--cacert", cacert, "-H", "Content-Type: \(type)", "--data-binary", "@\(file)", url])
        }
        #expect(try await post(microsoft, "application/tlsrpt+gzip") == 201)
        #expect(try await post(microsoft, "application/tlsrpt+gzip") == 200)
        #expect(try await post(google, "application/tlsrpt+json") == 201)
        #expect(try await post(google, "text/html") == 415)
        let garbage = folder.appendingPathComponent("garbage.gz")
        try Data([0x1F, 0x8B, 0x08, 0x00, 0x01, 0x02]).write(to: garbage)
        #expect(try await post(garbage.path, "application/tlsrpt+gzip") == 400)
        #expect(try await ProcessRunner.curlStatus(["--cacert", cert, "https://127.0.0.1:\(server.port)/healthz"]) == 200)
        let metrics = try await ProcessRunner.run("/usr/bin/curl", ["-s", "--cacert", cert, "https://127.0.0.1:\(server.port)/metrics"])
        #expect(metrics.stdout.contains("tlsrpt_reports_stored_total 2"))

        // The pid file names this server, so a renewal hook can signal it alone.
        let pid = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(pid == String(server.process.processIdentifier))

        // SIGHUP with the files as they were: said so, and no claim to have reloaded anything.
        server.signal(SIGHUP)
        var said = false
        for _ in 0..<50 where !said {
            try await Task.sleep(for: .milliseconds(100))
            said = server.log.contains("unchanged since they were loaded")
        }
        #expect(said, "serve log:\n\(server.log)")
        #expect(!server.log.contains("reloaded the TLS certificate"))

        // Renewal: new files in place, SIGHUP, and the next connection presents the new certificate.
        try FileManager.default.removeItem(atPath: cert)
        try FileManager.default.removeItem(atPath: key)
        let renewed = try await Self.makeCertificate(in: folder, name: "cert", commonName: "second")
        server.signal(SIGHUP)
        var reloaded = false
        for _ in 0..<50 where !reloaded {
            try await Task.sleep(for: .milliseconds(100))
            let subject = try await ProcessRunner.run(
                "/bin/sh",
                [
                    "-c",
                    "openssl s_client -connect 127.0.0.1:\(server.port) -servername localhost </dev/null 2>/dev/null"
                        + " | openssl x509 -noout -subject",
                ])
            reloaded = subject.stdout.contains("second")
        }
        #expect(reloaded)
        #expect(try await ProcessRunner.curlStatus(["--cacert", renewed.cert, "https://127.0.0.1:\(server.port)/healthz"]) == 200)

        server.signal(SIGTERM)
        let status = try await server.waitForExit(seconds: 15)
        stopped = status != nil
        #expect(status == 0, "serve log:\n\(server.log)")
        #expect(server.log.contains("status=201"))
        #expect(server.log.contains("SIGHUP: reloaded the TLS certificate"))
        #expect(!FileManager.default.fileExists(atPath: pidFile))

        // The numbers, read back from the SQLite file.
        let store = try ReportStore(path: database)
        let rows = try store.reports(ReportFilter()).sorted { $0.organization < $1.organization }
        #expect(rows.map(\.organization) == ["Google Inc.", "Microsoft Corporation"])
        #expect(rows.map(\.successful) == [1, 2])
        #expect(rows.map(\.failed) == [0, 0])
        #expect(rows.allSatisfy { $0.channel == "https" })
        let detail = try #require(try store.report(id: rows[1].id))
        #expect(detail.provenance.clientAddress == "127.0.0.1")
        #expect(detail.provenance.userAgent?.hasPrefix("curl/") == true)
        #expect(try store.rejections().count == 1)
    }
}
