import Testing

@testable import TLSRPTCore

/// docs/ARCHITECTURE.md's counting rule on hand-made policy lists; every expected number is worked out by hand.
struct CountingRuleTests {
    func entry(_ domain: String?, _ type: PolicyType, _ ok: Int64, _ failed: Int64) -> PolicyResult {
        PolicyResult(policy: Policy(type: type, domain: domain), summary: SessionSummary(successful: ok, failed: failed), failureDetails: [])
    }

    @Test func socketLabsSplitEntriesOfOneTypeAddUp() {
        // 12/0 and 0/2, both sts: 12 successful, 2 failed.
        let counts = CountingRule.count([entry("example.com", .sts, 12, 0), entry("example.com", .sts, 0, 2)])
        #expect(counts == [.init(domain: "example.com", policyType: "sts", successful: 12, failed: 2, positions: [0, 1])])
    }

    @Test func microsoftSTSAndTLSADescribeTheSameSessions() {
        // sts 19/1, tlsa 19/1: one of them, 19/1, and on a full tie the first (sts).
        let counts = CountingRule.count([entry("example.com", .sts, 19, 1), entry("example.com", .tlsa, 19, 1)])
        #expect(counts == [.init(domain: "example.com", policyType: "sts", successful: 19, failed: 1, positions: [0])])
    }

    @Test func ofDifferentTypesTheMostSessionsThenTheMostFailuresCount() {
        // a: sts 10/0 against tlsa 12/1 -> tlsa (13 > 10). b: sts 10/2 against tlsa 11/1 -> 12 each, sts has more failures.
        let counts = CountingRule.count([
            entry("a", .sts, 10, 0), entry("a", .tlsa, 12, 1), entry("b", .tlsa, 11, 1), entry("b", .sts, 10, 2),
        ])
        #expect(counts.map(\.policyType) == ["tlsa", "sts"])
        #expect(counts.map(\.positions) == [[1], [3]])
        #expect(CountingRule.Weight(counts) == .init(sessions: 25, failed: 3))
    }

    @Test func typesAreComparedByTheirAddedUpEntries() {
        // sts 5/0 + 0/1 = 6 sessions against tlsa 7/0: tlsa. sts 4/0 + 3/1 = 8 against tlsa 7/0: both sts entries.
        #expect(CountingRule.countedPolicies([entry("d", .sts, 5, 0), entry("d", .sts, 0, 1), entry("d", .tlsa, 7, 0)]) == [2])
        #expect(CountingRule.countedPolicies([entry("d", .sts, 4, 0), entry("d", .tlsa, 7, 0), entry("d", .sts, 3, 1)]) == [0, 2])
    }

    @Test func domainsAreCountedApartAndNoDomainIsADomain() {
        let counts = CountingRule.count([entry(nil, .noPolicyFound, 3, 0), entry("x", .sts, 1, 1), entry(nil, .noPolicyFound, 2, 0)])
        #expect(counts.map(\.domain) == [nil, "x"])
        #expect(counts[0].successful == 5)
    }

    @Test func versionsArePreferredByMostSessionsThenFailuresThenLowestHash() {
        let twelve = CountingRule.Weight(sessions: 12, failed: 0)
        let thirty = CountingRule.Weight(sessions: 30, failed: 2)
        #expect(CountingRule.prefers(thirty, hash: [9], over: twelve, hash: [1]))
        #expect(!CountingRule.prefers(twelve, hash: [1], over: thirty, hash: [9]))
        let moreFailures = CountingRule.Weight(sessions: 30, failed: 3)
        #expect(CountingRule.prefers(moreFailures, hash: [9], over: thirty, hash: [1]))
        #expect(CountingRule.prefers(thirty, hash: [1], over: thirty, hash: [2]))
        #expect(!CountingRule.prefers(thirty, hash: [2], over: thirty, hash: [1]))
    }
}
