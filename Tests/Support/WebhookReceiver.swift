public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real HTTP server on loopback for webhook tests, independent of the code under test: python3's
/// `http.server`, which records each POST's body in a folder (`0.json`, `1.json`, ...) with the time it
/// arrived, and answers as told: `ok` 200, `fail` 500, `hang` never (it holds the connection open).
public final class WebhookReceiver: @unchecked Sendable {
    public enum Mode: String, Sendable {
        case ok, fail, hang
    }

    public let port: Int
    public let folder: URL
    private let process: Process

    public var url: String { "\(tls ? "https://localhost" : "http://127.0.0.1"):\(port)/hooks/secret-token" }
    let tls: Bool

    static let script = #"""
        import http.server, os, ssl, sys, time, threading
        folder, mode = sys.argv[1], sys.argv[2]
        lock = threading.Lock()
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with lock:
                    n = len([f for f in os.listdir(folder) if f.endswith(".json")])
                    with open(os.path.join(folder, "%d.tmp" % n), "wb") as f:
                        f.write(body)
                    with open(os.path.join(folder, "%d.meta" % n), "w") as f:
                        f.write("%f %s %s %s" % (time.time(), self.path, self.headers.get("Content-Type"), self.headers.get("Host")))
                    os.rename(os.path.join(folder, "%d.tmp" % n), os.path.join(folder, "%d.json" % n))
                if mode == "hang":
                    time.sleep(3600)
                self.send_response(200 if mode == "ok" else 500)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
            def log_message(self, *args):
                pass
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        if len(sys.argv) > 4:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(sys.argv[3], sys.argv[4])
            server.socket = context.wrap_socket(server.socket, server_side=True)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """#

    /// Starts the receiver and waits for its port; with `certificate` (PEM chain and key paths), over TLS.
    public init(mode: Mode, folder: URL, certificate: (chain: String, key: String)? = nil) throws {
        self.folder = folder
        self.tls = certificate != nil
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.script, folder.path, mode.rawValue] + (certificate.map { [$0.chain, $0.key] } ?? [])
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        var line = Data()
        while true {
            let byte = out.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            process.terminate()
            throw CocoaError(.fileReadUnknown)
        }
        self.port = port
    }

    deinit { stop() }

    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// The bodies received so far, in order, with when each arrived (Unix time) and the request path.
    public func received() -> [(body: String, at: Double, path: String, contentType: String)] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".json") }
        return names.sorted { Int($0.dropLast(5))! < Int($1.dropLast(5))! }.compactMap { name in
            let base = folder.appendingPathComponent(String(name.dropLast(5)))
            guard let body = try? String(contentsOf: base.appendingPathExtension("json"), encoding: .utf8),
                let meta = try? String(contentsOf: base.appendingPathExtension("meta"), encoding: .utf8)
            else { return nil }
            let fields = meta.split(separator: " ").map(String.init)
            return (body, Double(fields[0]) ?? 0, fields.count > 1 ? fields[1] : "", fields.count > 2 ? fields[2] : "")
        }
    }
}
