import Foundation
import TLSRPTStore
import TLSRPTTestSupport
import Testing

@testable import TLSRPTIngest

/// Every file of the shared corpus that holds JSON, and what must become of it.
@Suite(.enabled(if: Fixtures.hasSharedCorpus, Fixtures.sharedCorpusAbsent))
struct CorpusTableTests {
    enum Expectation: Sendable, CustomStringConvertible {
        case accepted
        case rejected(reasonContains: String)

        var description: String {
            switch self {
            case .accepted: "accepted"
            case .rejected(let reason): "rejected (\(reason))"
            }
        }
    }

    static let table: [(String, Expectation)] = [
        ("dmarc-report-viewer/google.json", .accepted),
        ("dmarc-report-viewer/microsoft.json", .accepted),
        ("dmarc-report-viewer/no-contact.json", .accepted),  // contact-info null, "mx: " prefix in mx-host
        ("dmarc-report-viewer/no-policy.json", .accepted),
        ("dmarc-report-viewer/no_ip_and_mx.json", .accepted),  // fetch error without IPs or host
        ("dmarc-report-viewer/rfc-example.json", .accepted),
        ("mail-auth/rpt01.json", .accepted),
        ("mail-auth/rpt02.json", .accepted),
        ("mail-auth/rpt03.json", .accepted),  // unknown policy type, missing counts read as 0
        ("mail-tls-rpt/report.json", .accepted),
        ("mta-sts-exporter/google.json", .accepted),
        ("mta-sts-exporter/microsoft.json", .accepted),
        ("mta-sts-exporter/microsoft-2.json", .accepted),  // dates without a zone
        ("mta-sts-exporter/rfc.json", .accepted),  // mx-host as a string
        ("mta-sts-exporter/rfc-errata-6241.json", .accepted),
        ("parsedmarc/mail.ru.json", .accepted),
        ("parsedmarc/rfc8460.json", .accepted),
        ("parsedmarc/smtp_tls.json", .accepted),
        ("tls-rpt-monitor/microsoft-report.json", .accepted),  // result type "Testing", ip "x.x.x.x"
        ("tls-rpt-monitor/microsoft-report.json.gz", .accepted),
        ("tls_reporting/date_error.json", .rejected(reasonContains: #"date-range.start-datetime is "April fools""#)),
        ("tls_reporting/example.gz", .accepted),
        ("tls_reporting/example.json", .accepted),
        ("tls_reporting/missing_required_field.json", .rejected(reasonContains: "policies[0].policy.policy-type is missing")),
        ("tls_reporting/no-policies.json", .accepted),  // policies: [] is a valid empty report
        ("tls_reporting/truncated.gz", .rejected(reasonContains: "truncated")),
        ("tlsrpt-be/testing.json", .accepted),  // IDN policy domain in A-labels
    ]

    @Test func theTableCoversEveryJSONFileInTheCorpus() throws {
        let files = try FileManager.default.subpathsOfDirectory(atPath: Fixtures.corpus.path)
            .filter { $0.hasSuffix(".json") || $0.hasSuffix(".gz") }
        #expect(Set(files) == Set(Self.table.map(\.0)))
    }

    @Test(arguments: table)
    func corpusFile(path: String, expectation: Expectation) throws {
        let dir = TemporaryDirectory()
        let store = try ReportStore(path: dir.file("db.sqlite"))
        let rejections = RejectionLog()
        let tally = try Ingester(store: store).ingest(paths: [Fixtures.corpus.appendingPathComponent(path).path], onRejection: rejections.add)
        switch expectation {
        case .accepted:
            #expect(tally == IngestTally(ingested: 1), "\(rejections.lines)")
        case .rejected(let reason):
            #expect(tally == IngestTally(rejected: 1))
            #expect(rejections.lines.count == 1)
            #expect(rejections.lines.first?.contains(reason) == true, "\(rejections.lines)")
            #expect(try store.rejections().first?.keptAt == Fixtures.corpus.appendingPathComponent(path).path)
        }
    }

    /// Totals read off the files by hand: (sender, domain, successful, failed, result type sums).
    static let handTotals: [(String, String, String?, Int64, Int64, [String: Int64])] = [
        // sts and tlsa both 2/0 for the same sessions: counted once.
        ("dmarc-report-viewer/microsoft.json", "Microsoft Corporation", "random.net", 2, 0, [:]),
        // details sum to 2 against a total of 1; both numbers kept as sent.
        ("parsedmarc/mail.ru.json", "Mail.ru", "example.com", 0, 1, ["sts-policy-fetch-error": 2]),
        ("tls-rpt-monitor/microsoft-report.json", "Microsoft Corporation", "josh.scot", 2, 2, ["testing": 3]),
        ("mail-auth/rpt02.json", "Google Inc.", "example.com", 23, 1, ["certificate-host-mismatch": 1]),
        ("parsedmarc/smtp_tls.json", "Example Inc.", "example.com", 0, 3, ["validation-failure": 3]),
        (
            "parsedmarc/rfc8460.json", "Company-X", "company-y.example", 5326, 303,
            ["certificate-expired": 100, "starttls-not-supported": 200, "validation-failure": 3]
        ),
        ("dmarc-report-viewer/no_ip_and_mx.json", "Microsoft Corporation", "xxxxxxxx.xx", 0, 3, ["sts-policy-fetch-error": 3]),
        ("mail-tls-rpt/report.json", "Google Inc.", "fastmaildmarc.com", 343, 0, [:]),
        // two policies without a domain (1/0 each): one stands for the sessions.
        ("mail-auth/rpt03.json", "Google Inc.", nil, 1, 0, [:]),
    ]

    @Test(arguments: handTotals)
    func storedTotalsMatchTheFile(
        path: String, sender: String, domain: String?, successful: Int64, failed: Int64, types: [String: Int64]
    )
        throws
    {
        let dir = TemporaryDirectory()
        let store = try ReportStore(path: dir.file("db.sqlite"))
        _ = try Ingester(store: store).ingest(paths: [Fixtures.corpus.appendingPathComponent(path).path]) { _, _ in }
        let cells = try store.summaryCells(ReportFilter())
        #expect(cells.reportsBySender == [sender: 1])
        #expect(cells.sessions.map(\.counts) == [.init(sender: sender, domain: domain, reports: 1, successful: successful, failed: failed)])
        var sums: [String: Int64] = [:]
        for cell in cells.failures { sums[cell.resultType, default: 0] += cell.failed }
        #expect(sums == types)
    }
}

/// Collects the rejection lines an ingest reports, as the CLI prints them.
final class RejectionLog: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []

    var lines: [String] { lock.withLock { storage } }

    func add(_ input: String, _ reason: String) {
        lock.withLock { storage.append("\(input): \(reason)") }
    }
}

extension SummaryCells.SessionCell {
    /// The cell without its dates, for tables that give only the counts.
    var counts: Self {
        var cell = self
        cell.firstStart = nil
        cell.lastEnd = nil
        return cell
    }
}
