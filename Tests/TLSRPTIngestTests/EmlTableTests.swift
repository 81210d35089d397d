import Foundation
import TLSRPTStore
import TLSRPTTestSupport
import Testing

@testable import TLSRPTIngest

/// Every report mail of the shared corpus, ingested as a plain .eml file, with the totals read by hand
/// off its attachment and the provenance off its headers.
@Suite(.enabled(if: Fixtures.hasSharedCorpus, Fixtures.sharedCorpusAbsent))
struct EmlTableTests {
    struct Row: Sendable, CustomStringConvertible {
        var path: String
        var sender: String
        var domain: String
        var successful: Int64
        var failed: Int64
        var types: [String: Int64]
        var headerDomain: String
        /// Words that must appear in the stored notes (header/JSON disagreements).
        var noteContains: String? = nil

        var description: String { path }
    }

    static let rows: [Row] = [
        // The RFC's example message: headers say example.net, the report is about company-y.example.
        Row(
            path: "mail-auth/rpt01.eml", sender: "Company-X", domain: "company-y.example", successful: 5326, failed: 303,
            types: ["certificate-expired": 100, "starttls-not-supported": 200, "validation-failure": 3], headerDomain: "example.net",
            noteContains: "TLS-Report-Domain is example.net"),
        // application/tlsrpt, uncompressed, no Content-Transfer-Encoding.
        Row(
            path: "mail-auth/rpt02.eml", sender: "Google Inc.", domain: "example.com", successful: 23, failed: 1,
            types: ["certificate-host-mismatch": 1], headerDomain: "example.net", noteContains: "TLS-Report-Domain is example.net"),
        Row(
            path: "mail-tls-rpt/email.eml", sender: "Google Inc.", domain: "fastmaildmarc.com", successful: 343, failed: 0, types: [:],
            headerDomain: "fastmaildmarc.com"),
        Row(
            path: "mox/example.eml", sender: "Google Inc.", domain: "test.xmox.nl", successful: 3, failed: 0, types: [:], headerDomain: "test.xmox.nl"
        ),
        // Dates without a zone; Subject folded.
        Row(
            path: "mox/microsoft.eml", sender: "Microsoft Corporation", domain: "test.xmox.nl", successful: 2, failed: 0, types: [:],
            headerDomain: "test.xmox.nl", noteContains: "no time zone"),
        Row(
            path: "parsedmarc/google.com_smtp_tls_report.eml", sender: "Google Inc.", domain: "cardinalhealth.ca", successful: 48,
            failed: 0, types: [:], headerDomain: "cardinalhealth.ca"),
        Row(
            path: "tlsrpt-be/test.eml", sender: "Company-X", domain: "company-y.example", successful: 5326, failed: 303,
            types: ["certificate-expired": 100, "starttls-not-supported": 200, "validation-failure": 3], headerDomain: "example.net"),
        Row(
            path: "tlsrpt-digest/tlsrpt_failure.eml", sender: "Google Inc.", domain: "example.com", successful: 4523, failed: 2,
            types: ["certificate-expired": 2], headerDomain: "example.com"),
        Row(
            path: "tlsrpt-digest/tlsrpt_success_google_1.eml", sender: "Google Inc.", domain: "example.com", successful: 1, failed: 0,
            types: [:], headerDomain: "example.com"),
        Row(
            path: "tlsrpt-digest/tlsrpt_success_google_2.eml", sender: "Google Inc.", domain: "example.com", successful: 4, failed: 0,
            types: [:], headerDomain: "example.com"),
        // Microsoft 2026: the first part is text/html, quoted-printable.
        Row(
            path: "tlsrpt-digest/tlsrpt_success_microsoft.eml", sender: "Microsoft Corporation", domain: "example.com", successful: 2,
            failed: 0, types: [:], headerDomain: "example.com"),
    ]

    @Test func theTableCoversEveryMailInTheCorpus() throws {
        let files = try FileManager.default.subpathsOfDirectory(atPath: Fixtures.corpus.path).filter { $0.hasSuffix(".eml") }
        #expect(Set(files) == Set(Self.rows.map(\.path)))
    }

    @Test(arguments: rows)
    func reportMail(row: Row) throws {
        let dir = TemporaryDirectory()
        let store = try ReportStore(path: dir.file("db.sqlite"))
        let log = RejectionLog()
        let tally = try Ingester(store: store).ingest(paths: [Fixtures.corpus.appendingPathComponent(row.path).path], onRejection: log.add)
        #expect(tally == IngestTally(ingested: 1), "\(log.lines)")
        let cells = try store.summaryCells(ReportFilter())
        #expect(cells.reportsBySender == [row.sender: 1])
        #expect(cells.sessions.map(\.counts) == [.init(sender: row.sender, domain: row.domain, reports: 1, successful: row.successful, failed: row.failed)])
        var sums: [String: Int64] = [:]
        for cell in cells.failures { sums[cell.resultType, default: 0] += cell.failed }
        #expect(sums == row.types)
        let detail = try #require(try store.report(id: 1))
        #expect(detail.provenance.reportDomain == row.headerDomain)
        #expect(detail.provenance.channel == .file)
        if let noteContains = row.noteContains {
            #expect(detail.notes.contains { $0.contains(noteContains) }, "\(detail.notes)")
        }
    }
}
