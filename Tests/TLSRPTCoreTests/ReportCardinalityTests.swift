import TLSRPTTestSupport
import Testing

@testable import TLSRPTCore

/// A report may name at most 1,000 distinct MX hosts and 100 distinct result types, and keeps at most 50
/// notes; past that its failed sessions still count, folded, and the report says so.
struct ReportCardinalityTests {
    /// One policy whose failure details are `details` (JSON objects), `failed` failed sessions in all.
    static func report(_ details: [String], failed: Int) throws -> Report {
        let policies =
            #"[{"policy":{"policy-type":"sts","policy-domain":"example.com"},"summary":{"total-successful-session-count":0,"#
            + #""total-failure-session-count":\#(failed)},"failure-details":[\#(details.joined(separator: ","))]}]"#
        return try ReportDecoder().decode(reportJSON(policies: policies)).report
    }

    @Test func hostsPastTheCapAreCountedWithoutTheirHost() throws {
        // 1,500 distinct hosts with 2 failed sessions each, then the first host again.
        var details = (0..<1_500).map { #"{"result-type":"certificate-expired","receiving-mx-hostname":"mx\#($0).example.com","failed-session-count":2}"# }
        details.append(#"{"result-type":"certificate-expired","receiving-mx-hostname":"mx0.example.com","failed-session-count":7}"#)
        let report = try Self.report(details, failed: 3_007)
        let failures = report.policies[0].failureDetails
        #expect(failures.count == 1_501)
        #expect(Set(failures.compactMap(\.receivingMXHostname)).count == 1_000)
        #expect(failures.filter { $0.receivingMXHostname == nil }.count == 500)
        // A host already named stays named after the cap.
        #expect(failures.last?.receivingMXHostname == "mx0.example.com")
        // Every failed session still counts: 1,500 × 2 + 7.
        #expect(failures.map(\.failedSessionCount).reduce(0, +) == 3_007)
        #expect(report.notes.contains("500 failure details name MX hosts beyond the first 1000 distinct ones; counted without their host"))
    }

    @Test func resultTypesPastTheCapAreCountedTogetherAndNotesAreBounded() throws {
        let details = (0..<150).map { #"{"result-type":"made-up-\#($0)","failed-session-count":1}"# }
        let report = try Self.report(details, failed: 150)
        let failures = report.policies[0].failureDetails
        #expect(Set(failures.map(\.resultType.name)).count == 101)
        #expect(failures.filter { $0.resultType.name == "other-result-types" }.count == 50)
        // The spelling the sender used is kept for each detail.
        #expect(failures.last?.resultTypeRaw == "made-up-149")
        // 150 "not a registered result type" notes: 50 kept, the rest counted, then the folding.
        #expect(report.notes.count == 52)
        #expect(report.notes[50] == "… and 100 more notes")
        #expect(report.notes[51].hasPrefix("50 failure details have result types beyond the first 100 distinct ones"))
    }

    @Test func anOrdinaryReportIsUntouched() throws {
        let details = (0..<20).map { #"{"result-type":"starttls-not-supported","receiving-mx-hostname":"mx\#($0 % 3).example.com","failed-session-count":1}"# }
        let report = try Self.report(details, failed: 20)
        #expect(report.notes.isEmpty)
        #expect(Set(report.policies[0].failureDetails.compactMap(\.receivingMXHostname)) == ["mx0.example.com", "mx1.example.com", "mx2.example.com"])
    }
}
