import Testing

@testable import TLSRPTCore

struct ReportFileNameTests {
    @Test func parsesTheRFCExample() throws {
        let name = try #require(ReportFileName("/tmp/x/mail.sndr.example.com!example.net!1470013207!1470186007!001.json.gz"))
        #expect(name.sender == "mail.sndr.example.com")
        #expect(name.policyDomain == "example.net")
        #expect(name.begin == 1_470_013_207)
        #expect(name.end == 1_470_186_007)
        #expect(name.uniqueID == "001")
    }

    @Test func uniqueIDIsOptionalAndOtherNamesAreNotReportNames() throws {
        #expect(try #require(ReportFileName("google.com!example.com!1!2.json")).uniqueID == nil)
        #expect(ReportFileName("report.json") == nil)
        #expect(ReportFileName("a!b!c!d.json") == nil)
        #expect(ReportFileName("!b!1!2.json") == nil)
    }
}
