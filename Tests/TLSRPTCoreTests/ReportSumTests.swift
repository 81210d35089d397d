import TLSRPTTestSupport
import Testing

@testable import TLSRPTCore

/// A report whose counts add up past 2^53 is refused by the decoder, naming the count that tipped the sum
/// over, so that no sum the store makes of one report can overflow (hardening issue, finding 1).
struct ReportSumTests {
    func rejection(_ bytes: [UInt8]) -> ReportDecodingError? {
        do {
            _ = try ReportDecoder().decode(bytes)
            return nil
        } catch {
            return error
        }
    }

    func summary(_ successful: Int64, _ failed: Int64) -> String {
        #"{"policy":{"policy-type":"sts","policy-domain":"example.com"},"summary":{"total-successful-session-count":\#(successful),"total-failure-session-count":\#(failed)}}"#
    }

    @Test func failureDetailsOfOneGroupPastTwoTo53AreRefusedAtTheSecondDetail() throws {
        let error = try #require(rejection(HostileCounts.overflowingGroup()))
        #expect(error == ReportDecodingError(.invalidValue, path: "policies[0].failure-details[1].failed-session-count", ""))
        #expect(error.description.contains("past 2^53"), "\(error)")
        #expect(!error.description.contains("\n"))
    }

    @Test func failureDetailsSpreadOverDistinctInformationAreRefusedToo() throws {
        let error = try #require(rejection(HostileCounts.overflowingDistinctGroups()))
        #expect(error == ReportDecodingError(.invalidValue, path: "policies[0].failure-details[1].failed-session-count", ""))
    }

    @Test func aPolicysSuccessfulPlusFailedPastTwoTo53IsRefused() throws {
        let error = try #require(rejection(reportJSON(policies: "[\(summary(HostileCounts.twoTo53, 1))]")))
        #expect(error == ReportDecodingError(.invalidValue, path: "policies[0].summary.total-failure-session-count", ""))
        #expect(error.description.hasPrefix("policies[0].summary.total-failure-session-count is 1, which brings"), "\(error)")
    }

    @Test func sessionsOfAllPoliciesTogetherPastTwoTo53AreRefused() throws {
        let half: Int64 = 4_503_599_627_370_496  // 2^52
        let policies = "[\(summary(half, 0)),\(summary(half, 0)),\(summary(1, 0))]"
        let error = try #require(rejection(reportJSON(policies: policies)))
        #expect(error == ReportDecodingError(.invalidValue, path: "policies[2].summary.total-successful-session-count", ""))
    }

    @Test func sumsOfExactlyTwoTo53AreAccepted() throws {
        let report = try ReportDecoder().decode(HostileCounts.maximalReport(index: 0)).report
        #expect(report.policies[0].failureDetails[0].failedSessionCount == HostileCounts.twoTo53)
        #expect(report.policies[0].summary.failed == HostileCounts.twoTo53)
    }

    @Test func countSumsSaturateAtTwoTo53() {
        #expect(CountSum.ceiling == HostileCounts.twoTo53)
        #expect(CountSum.add(3, 4) == 7)
        #expect(CountSum.add(HostileCounts.twoTo53, 1) == HostileCounts.twoTo53)
        #expect(CountSum.add(.max, .max) == HostileCounts.twoTo53)
        #expect(Array(repeating: HostileCounts.twoTo53, count: 2_000).countSum() == HostileCounts.twoTo53)
        var count: Int64 = HostileCounts.twoTo53 - 1
        count.addCount(5)
        #expect(count == HostileCounts.twoTo53)
    }
}
