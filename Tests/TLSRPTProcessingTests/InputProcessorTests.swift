import Foundation
import TLSRPTCore
import TLSRPTExtract
import TLSRPTStore
import TLSRPTTestSupport
import Testing

@testable import TLSRPTProcessing

/// One input's bytes through extract -> decode -> normalise, with no store and no files: what every source
/// (folders, maildirs, standard input, the HTTPS endpoint) gets back for the same bytes.
struct InputProcessorTests {
    let processor = InputProcessor()
    let provenance = Provenance(channel: .https, name: "POST /tlsrpt")

    @Test func aReportMailGivesItsReportWithTheMailsProvenance() throws {
        let result = processor.process(try Fixtures.bytes("rfc8460-example.eml"), provenance: provenance)
        #expect(result.problems == [])
        let report = try #require(result.reports.first)
        #expect(result.reports.count == 1)
        // Read off the fixture: Company-X's report for company-y.example, 5,326 successful and 303 failed.
        #expect(report.decoded.report.organizationName == "Company-X")
        #expect(report.decoded.report.policies.map(\.summary.successful) == [5326])
        #expect(report.decoded.report.policies.map(\.summary.failed) == [303])
        #expect(report.provenance.submitter == "mail.sender.example.com")
        #expect(report.provenance.reportDomain == "example.net")
        #expect(report.provenance.channel == .https)
        // The attachment was gzip already: it is kept as it came.
        #expect(report.rawGzip.prefix(2) == [0x1F, 0x8B])
    }

    @Test func theSameReportInAnyFormatHasOneContentHash() throws {
        let pretty = try Fixtures.bytes("google.json")
        let compact = try JSONSerialization.data(withJSONObject: try JSONSerialization.jsonObject(with: Data(pretty)))
        let hashes = [pretty, Array(compact), Gzip.compress(pretty)].map { bytes in
            processor.process(bytes, provenance: provenance).reports.first?.contentHash
        }
        #expect(hashes[0] != nil)
        #expect(Set(hashes.compactMap { $0 }).count == 1)
    }

    @Test func aDMARCReportIsForeignNotBroken() {
        let dmarc = Array(#"<?xml version="1.0"?><feedback><report_metadata/></feedback>"#.utf8)
        let result = processor.process(dmarc, provenance: provenance)
        #expect(result.reports.isEmpty)
        #expect(result.isForeign)
        #expect(!result.exceededLimit)
        #expect(result.problems.count == 1)
    }

    @Test func aBombIsRefusedForItsSize() {
        let small = InputProcessor(extractor: PayloadExtractor(limits: ExtractionLimits(maxDecompressedBytes: 1 << 20)))
        let bomb = Gzip.compress(Array(repeating: UInt8(ascii: " "), count: 4 << 20))
        let result = small.process(bomb, provenance: provenance)
        #expect(result.reports.isEmpty)
        #expect(result.exceededLimit)
        #expect(!result.isForeign)
    }

    @Test func aBrokenReportIsOneProblemNamingTheField() {
        let result = processor.process(Array(#"{"organization-name":"X","report-id":"r","policies":[]}"#.utf8), provenance: provenance)
        #expect(result.reports.isEmpty)
        #expect(result.problems.count == 1)
        #expect(result.problems.first?.contains("date-range") == true)
    }
}
