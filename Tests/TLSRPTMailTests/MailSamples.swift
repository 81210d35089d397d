import Foundation
import TLSRPTTestSupport

/// Test inputs: small messages written inline, and the shared corpus read by path.
enum MailSamples {
    /// A report JSON as a sender would write it: 83 bytes.
    static let reportJSON = #"{"organization-name":"Example Inc.","report-id":"2026-05-01T00:00:00Z_example.com"}"#
    /// `reportJSON` gzip-compressed (Python `gzip.compress(..., mtime=0)`): 94 bytes.
    static let reportGzipLength = 94
    /// `reportJSON` gzip-compressed, base64 in 76-column lines.
    static let reportGzipBase64 = """
        H4sIAAAAAAACA6tWyi9KT8zLrEosyczP081LzE1VslJyrUjMLchJVfDMS9ZT0lEqSi3ILyrRzUwB
        ShkZGJnpGpjqGhiGGBhYgVFUfCpEvV5yfq5SLQCEAyPxUwAAAA==
        """
    /// `reportJSON` base64-encoded on one line.
    static let reportJSONBase64 = "eyJvcmdhbml6YXRpb24tbmFtZSI6IkV4YW1wbGUgSW5jLiIsInJlcG9ydC1pZCI6IjIwMjYtMDUtMDFUMDA6MDA6MDBaX2V4YW1wbGUuY29tIn0="
    /// A gzip file whose header names `report.xml` (a DMARC report), 65 bytes, base64.
    static let dmarcGzipBase64 = "H4sICAAAAAAC/3JlcG9ydC54bWwAs7GvyM1RKEstKs7Mz7NVMtQzULK3s0lLTU1JSkzOtrPRhzMBi5POaCoAAAA="

    /// A message written with LF in the test source, converted to the given line end (CRLF
    /// as on the wire unless a test says otherwise).
    static func message(_ text: String, lineEnding: String = "\r\n") -> [UInt8] {
        Array(text.replacingOccurrences(of: "\n", with: lineEnding).utf8)
    }

    /// The first bytes of the gzip fixture, to compare decoded payloads with.
    static let gzipMagic: [UInt8] = [0x1F, 0x8B]

    /// The shared corpus beside the repository clone (see `Fixtures.corpus`; the tests that read it are
    /// skipped when it is absent).
    static var corpusDirectory: URL { Fixtures.corpus }

    static func corpusFile(_ relativePath: String) throws -> [UInt8] {
        Array(try Data(contentsOf: corpusDirectory.appendingPathComponent(relativePath)))
    }
}
