import Foundation
import Testing

@testable import TLSRPTCore

struct RFC3339DateTests {
    // 2023-01-10T00:00:00Z is 1673308800 (19367 days after the epoch × 86400).
    let jan10: TimeInterval = 1_673_308_800

    @Test(arguments: [
        ("2023-01-10T00:00:00Z", 0.0, true),
        ("2023-01-10t00:00:00z", 0.0, true),
        ("2023-01-10 00:00:00Z", 0.0, true),
        ("2023-01-10T00:00:00+00:00", 0.0, true),
        ("2023-01-10T05:00:00+05:00", 0.0, true),
        ("2023-01-09T19:00:00-05:00", 0.0, true),
        ("2023-01-10T00:00:00.250Z", 0.25, true),
        ("2023-01-10T23:59:59Z", 86_399.0, true),
        // Microsoft, 2023 and March 2024: no zone at all.
        ("2023-01-10T00:00:00", 0.0, false),
    ])
    func parses(text: String, offset: TimeInterval, hadZone: Bool) throws {
        let parsed = try #require(RFC3339Date.parse(text))
        #expect(parsed.date.timeIntervalSince1970 == jan10 + offset)
        #expect(parsed.hadZone == hadZone)
    }

    @Test(arguments: [
        "April fools", "", "2023-01-10", "2023-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2023-01-10T24:00:00Z",
        "2023-01-10T00:00:00+5", "2023-01-10T00:00Z", "2023-01-10T00:00:00.Z", "2023-01-10T00:00:00Zjunk",
    ])
    func rejects(text: String) {
        #expect(RFC3339Date.parse(text) == nil)
    }

    @Test func leapDayAndFormatting() throws {
        let leap = try #require(RFC3339Date.parse("2024-02-29T12:34:56Z"))
        #expect(RFC3339Date.format(leap.date) == "2024-02-29T12:34:56Z")
        #expect(RFC3339Date.day(leap.date) == "2024-02-29")
        #expect(RFC3339Date.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
    }
}
