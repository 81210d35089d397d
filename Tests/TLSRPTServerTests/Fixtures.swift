import Foundation
import Hummingbird
import Logging
import TLSRPTServer
import TLSRPTStore

/// Reports we wrote in the shapes of real senders (Tests/Fixtures), with the numbers read by hand.
enum Corpus {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func bytes(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: folder.appendingPathComponent(relative)))
    }

    /// Microsoft Corporation, report-id 134240000000000002+example.org, policy domain example.org,
    /// 2 successful sessions, 0 failed. Gzip as Microsoft sends it.
    static let microsoftGzip = "microsoft.json.gz"
    /// Google Inc., report-id 2026-05-22T00:00:00Z_example.com, policy domain example.com, 1 successful, 0 failed.
    static let googleJSON = "google.json"
}

/// A fresh database in a temporary folder and a server configured over it.
struct Harness {
    let folder: URL
    let store: ReportStore
    let server: ReportServer

    init(
        domains: [String] = [], maxBody: Int = 1 << 20, maxDecompressed: Int = 16 << 20, tls: EndpointConfiguration.TLSFiles? = nil,
        headerTimeout: Duration = .seconds(10), trustProxy: Bool = false, decodeWorkers: Int = 2, maxRequestsPerClient: Int = 4,
        rejectCopiesMaxBytes: Int = 64 << 20, publicMetrics: Bool = true, path: String = "/tlsrpt", domainFromPath: Bool = false
    ) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("tlsrpt-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        store = try ReportStore(path: folder.appendingPathComponent("reports.sqlite").path)
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        var configuration = EndpointConfiguration(
            listen: ListenAddress(host: "127.0.0.1", port: 0), tls: tls, trustProxy: trustProxy, path: path, domains: domains,
            maxBody: maxBody, maxDecompressed: maxDecompressed, headerTimeout: headerTimeout,
            rejectCopiesMaxBytes: rejectCopiesMaxBytes, decodeWorkers: decodeWorkers, maxRequestsPerClient: maxRequestsPerClient,
            publicMetrics: publicMetrics)
        configuration.domainFromPath = domainFromPath
        server = try ReportServer(configuration: configuration, store: store, logger: logger)
    }

    func storedReports() throws -> [StoredReportRow] { try store.reports(ReportFilter()) }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}

extension ByteBuffer {
    init(_ bytes: [UInt8]) { self.init(bytes: bytes) }
}
