import Foundation
import TLSRPTCore
import TLSRPTTestSupport
import Testing

@testable import TLSRPTAnalysis
@testable import TLSRPTStore

/// The analysis adds counts across reports, senders and groups: those sums saturate at 2^53 instead of
/// trapping (hardening issue, finding 2: `summary` and `failures --all` died on a stored 9.9e18). 1,100
/// values of 2^53 add up past 2^63 - 1.
struct CountSumAnalysisTests {
    static let many = 1_100
    static let twoTo53Text = "9,007,199,254,740,992"

    func group(_ index: Int, receivingIPs: [String] = [], omitted: Int64 = 0) -> DiagnosisEvidence.FailureGroup {
        var group = DiagnosisEvidence.FailureGroup(
            sender: "Sender \(index % 3)", domain: "example.com", policyType: "sts", resultType: .certificateExpired,
            mxHost: "mx.example.com", receivingIPs: receivingIPs, reasonCode: "expired", additionalInformation: "info \(index)",
            failed: HostileCounts.twoTo53, firstSeen: Date(timeIntervalSince1970: 0), lastSeen: Date(timeIntervalSince1970: 0))
        group.omittedReceivingIPs = omitted
        return group
    }

    @Test func aFindingsTotalsSaturate() {
        let aggregate = FailureAggregate((0..<Self.many).map { group($0) })
        #expect(aggregate.failed == HostileCounts.twoTo53)
        #expect(aggregate.senders.map(\.failedSessions) == [HostileCounts.twoTo53, HostileCounts.twoTo53, HostileCounts.twoTo53])
        #expect(aggregate.resultTypes == ["certificate-expired": HostileCounts.twoTo53])
        #expect(aggregate.reasonCodes.map(\.failed) == [HostileCounts.twoTo53])
        #expect(DiagnosisContext(evidence: DiagnosisEvidence()).byDomain(aggregate.groups).map(\.failed) == [HostileCounts.twoTo53])
    }

    @Test func aFindingSaysHowManyReceivingIPsWereLeftOut() {
        let addresses = (0..<64).map { "10.0.0.\($0)" }
        let aggregate = FailureAggregate([group(0, receivingIPs: addresses, omitted: 99_936)])
        // Six listed of 100,000: 99,994 more, at most.
        #expect(
            aggregate.commonEvidence.contains(
                "Receiving IPs: 10.0.0.0, 10.0.0.1, 10.0.0.10, 10.0.0.11, 10.0.0.12, 10.0.0.13 and up to 99,994 more"),
            "\(aggregate.commonEvidence)")
    }

    @Test func theSummarySaturates() {
        var cells = SummaryCells()
        for index in 0..<Self.many {
            let sender = "Sender \(index)"
            cells.reportsBySender[sender] = 1
            cells.sessions.append(
                .init(sender: sender, domain: "example.com", reports: 1, successful: HostileCounts.twoTo53, failed: HostileCounts.twoTo53))
            cells.failures.append(
                .init(sender: sender, domain: "example.com", resultType: "certificate-expired", mxHost: "mx.example.com", failed: HostileCounts.twoTo53))
        }
        let summary = SummaryBuilder.build(cells)
        #expect(summary.reports == Int64(Self.many))
        #expect(summary.successfulSessions == HostileCounts.twoTo53)
        #expect(summary.failedSessions == HostileCounts.twoTo53)
        #expect(summary.totalSessions == HostileCounts.twoTo53)
        #expect(summary.resultTypes == ["certificate-expired": HostileCounts.twoTo53])
        #expect(summary.policyDomains.map(\.failedSessions) == [HostileCounts.twoTo53])
        #expect(summary.mxHosts.map(\.failedSessions) == [HostileCounts.twoTo53])
    }

    @Test func theFailureRowsTotalSaturates() {
        let row = FailureDetailRow(
            reportStart: Date(timeIntervalSince1970: 0), sender: "Google Inc.", reportID: "r", domain: "example.com", policyType: "sts",
            resultType: "certificate-expired", sendingMTAIP: nil, mxHost: "mx.example.com", mxHelo: nil, receivingIP: nil,
            failed: HostileCounts.twoTo53, reasonCode: nil, additionalInformation: nil)
        let text = FailureRowsRenderer.render(Array(repeating: row, count: Self.many), format: .text)
        #expect(text.hasSuffix("\n1100 rows, \(Self.twoTo53Text) failed sessions\n"), "\(text.suffix(200))")
    }
}
