import Foundation
import Testing

@testable import TLSRPTMail

/// Epoch values computed with Python's `email.utils.parsedate_tz` and `mktime_tz`.
struct RFC5322DateTests {
    @Test(arguments: [
        ("Wed, 04 Sep 2024 03:53:20 -0700", 1_725_447_200),
        ("Fri, 3 Feb 2023 05:09:22 +0000", 1_675_400_962),
        ("Fri, May 09 2017 16:54:30 -0800", 1_494_377_670),  // RFC 8460's example: month first
        ("Thu, 14 May 2026 21:32:30 +0000 (UTC)", 1_778_794_350),
        ("14 May 2026 21:32:30 GMT", 1_778_794_350),
        ("Thu, 14 May 2026 17:32:30 EDT", 1_778_794_350),
        ("Thu,14 May 26 21:32 +0000", 1_778_794_320),  // two-digit year, no seconds
        ("Mon, 29 Feb 2016 23:59:59 +0530", 1_456_770_599),
        ("Sat, 1 Jan 1972 00:00:00 -0000", 63_072_000),
    ])
    func parses(_ text: String, epoch: Int) {
        #expect(RFC5322Date.parse(text) == Date(timeIntervalSince1970: TimeInterval(epoch)))
    }

    @Test(arguments: [
        "", "yesterday", "Thu, 14 May 2026 21:32:30",  // no zone: not guessed
        "Thu, 31 Apr 2026 10:00:00 +0000", "Tue, 29 Feb 2026 10:00:00 +0000", "Thu, 14 May 2026 24:00:00 +0000",
        "Thu, 14 Foo 2026 10:00:00 +0000", "Thu, 14 May 2026 10:00:00 +25", "14 May 99999999999999999999 10:00 +0000",
    ])
    func rejects(_ text: String) {
        #expect(RFC5322Date.parse(text) == nil)
    }
}
