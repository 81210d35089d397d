import Foundation
import Hummingbird
import Logging
import TLSRPTServer
import TLSRPTStore

/// Reports from the shared corpus, with the numbers read by hand from the files.
enum Corpus {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/corpus/public").standardizedFileURL

    static func bytes(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: folder.appendingPathComponent(relative)))
    }

    /// Microsoft Corporation, report-id 133988091029006454+josh.scot, policy domain josh.scot,
    /// 2 successful sessions, 0 failed. Gzip as Microsoft sends it.
    static let microsoftGzip = "tls-rpt-monitor/microsoft-report.json.gz"
    /// Google Inc., report-id 2025-05-22T00:00:00Z_foo-bar.io, policy domain foo-bar.io, 1 successful, 0 failed.
    static let googleJSON = "dmarc-report-viewer/google.json"
}

/// A fresh database in a temporary folder and a server configured over it.
struct Harness {
    let folder: URL
    let store: ReportStore
    let server: ReportServer

    init(
        domains: [String] = [], maxBody: Int = 1 << 20, maxDecompressed: Int = 16 << 20, tls: EndpointConfiguration.TLSFiles? = nil,
        headerTimeout: Duration = .seconds(10), trustProxy: Bool = false, decodeWorkers: Int = 2, maxRequestsPerClient: Int = 4,
        rejectCopiesMaxBytes: Int = 64 << 20, publicMetrics: Bool = true
    ) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("tlsrpt-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        store = try ReportStore(path: folder.appendingPathComponent("reports.sqlite").path)
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        server = try ReportServer(
            configuration: EndpointConfiguration(
                listen: ListenAddress(host: "127.0.0.1", port: 0), tls: tls, trustProxy: trustProxy, domains: domains,
                maxBody: maxBody, maxDecompressed: maxDecompressed, headerTimeout: headerTimeout,
                rejectCopiesMaxBytes: rejectCopiesMaxBytes, decodeWorkers: decodeWorkers, maxRequestsPerClient: maxRequestsPerClient,
                publicMetrics: publicMetrics),
            store: store, logger: logger)
    }

    func storedReports() throws -> [StoredReportRow] { try store.reports(ReportFilter()) }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}

extension ByteBuffer {
    init(_ bytes: [UInt8]) { self.init(bytes: bytes) }
}
