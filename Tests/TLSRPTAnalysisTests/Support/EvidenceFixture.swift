import Foundation
import TLSRPTCore
import TLSRPTStore

@testable import TLSRPTAnalysis

/// In-memory evidence for rule tests: what the store's diagnosis queries would return.
enum EvidenceFixture {
    static let first = Day.date("2026-11-22")
    static let last = Day.date("2026-11-28")

    static func policy(_ lines: [String] = ReportFixture.enforcePolicy) -> STSPolicy { STSPolicy.parse(lines) }

    static func failure(
        _ type: ResultType, host: String?, count: Int64 = 10, sender: String = "Microsoft Corporation", domain: String? = "example.com",
        policyType: String = "sts", policy: STSPolicy? = policy(), reason: String? = nil, additional: String? = nil,
        firstSeen: Date = first, lastSeen: Date = last
    ) -> DiagnosisEvidence.FailureGroup {
        DiagnosisEvidence.FailureGroup(
            sender: sender, domain: domain, policyType: policyType, stsPolicy: policyType == "sts" ? policy : nil, resultType: type,
            mxHost: host, receivingIPs: host == nil ? [] : ["192.0.2.10"], reasonCode: reason, additionalInformation: additional,
            failed: count, firstSeen: firstSeen, lastSeen: lastSeen)
    }

    static func quoted(_ lines: [String] = ReportFixture.enforcePolicy, domain: String = "example.com") -> DiagnosisEvidence.QuotedSTSPolicy {
        .init(domain: domain, policy: STSPolicy.parse(lines), lines: lines, reports: 7, lastSeen: last)
    }

    static func context(
        _ failures: [DiagnosisEvidence.FailureGroup], policies: [DiagnosisEvidence.QuotedSTSPolicy] = [quoted()],
        sessions: [DiagnosisEvidence.SenderSessions] = []
    ) -> DiagnosisContext {
        DiagnosisContext(evidence: DiagnosisEvidence(failures: failures, stsPolicies: policies, sessions: sessions))
    }
}
