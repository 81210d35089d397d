import Testing

@testable import TLSRPTCore

/// Policy strings shaped like the ones real senders quote (digest §7.3, §9 items 36-38).
struct STSPolicyTests {
    @Test func googleStylePolicyIsValid() {
        let policy = STSPolicy.parse(["version: STSv1", "mode: enforce", "max_age: 604800", "mx: mx1.example.com", "mx: *.example.net"])
        #expect(policy.version == "STSv1")
        #expect(policy.mode == .enforce)
        #expect(policy.modeText == "enforce")
        #expect(policy.mx == ["mx1.example.com", "*.example.net"])
        #expect(policy.maxAge == 604_800)
        #expect(policy.unknownKeys.isEmpty)
        #expect(policy.problems.isEmpty)
        #expect(policy.isValid)
    }

    @Test func lineOrderDoesNotMatter() {
        let inOrder = STSPolicy.parse(["version: STSv1", "mode: testing", "mx: a.example", "max_age: 86400"])
        let shuffled = STSPolicy.parse(["mx: a.example", "max_age: 86400", "mode: testing", "version: STSv1"])
        #expect(inOrder == shuffled)
        #expect(shuffled.isValid)
    }

    @Test func everyMXIsCollectedAndNormalised() {
        let policy = STSPolicy.parse([
            "version: STSv1", "mode: enforce", "mx: MX1.Example.com.", "mx:*.example.org", "mx: bücher.example", "max_age: 86400",
        ])
        #expect(policy.mx == ["mx1.example.com", "*.example.org", "xn--bcher-kva.example"])
        #expect(policy.covers(mxHost: "mx1.example.com"))
        #expect(policy.covers(mxHost: "in.example.org"))
        #expect(!policy.covers(mxHost: "example.org"))
        #expect(policy.mxPatterns.map(\.text) == policy.mx)
    }

    @Test func duplicatedModeFirstWins() {
        let policy = STSPolicy.parse(["version: STSv1", "mode: testing", "mode: enforce", "mx: a.example", "max_age: 86400"])
        #expect(policy.mode == .testing)
        #expect(policy.modeText == "testing")
        #expect(policy.problems == ["duplicate mode: first wins"])
        #expect(!policy.isValid)
    }

    @Test func duplicatedVersionAndMaxAgeFirstWins() {
        let policy = STSPolicy.parse(["version: STSv1", "version: STSv2", "mode: none", "max_age: 100", "max_age: 200"])
        #expect(policy.version == "STSv1")
        #expect(policy.maxAge == 100)
        #expect(policy.problems == ["duplicate version: first wins", "duplicate max_age: first wins"])
    }

    @Test func spacesAndTabsAroundTheColonAreIgnored() {
        let policy = STSPolicy.parse(["version:STSv1", "mode:\tenforce", "mx:  \t a.example \t", " max_age :\t86400  "])
        #expect(policy.mode == .enforce)
        #expect(policy.mx == ["a.example"])
        #expect(policy.maxAge == 86400)
        #expect(policy.isValid)
    }

    @Test func unknownKeysAreListedButAreNoProblem() {
        let policy = STSPolicy.parse([
            "version: STSv1", "mode: enforce", "mx: a.example", "max_age: 86400", "comment: hi", "x-extra: 1", "comment: again",
        ])
        #expect(policy.unknownKeys == ["comment", "x-extra"])
        #expect(policy.isValid)
    }

    /// A hostile policy-string of 50,000 distinct unknown keys: a search of the kept list per key took
    /// minutes; a set takes well under a second. The bound is generous (a debug build on a shared core).
    @Test func distinctUnknownKeysAreFoundInLinearTime() {
        let lines = (0..<50_000).map { "x-key-\($0): 1" }
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            #expect(STSPolicy.parse(["version: STSv1"] + lines + ["x-key-0: again"]).unknownKeys.count == 50_000)
        }
        #expect(elapsed < .seconds(10), "\(elapsed)")
    }

    @Test func draftModeReportIsKeptAndFlagged() {
        let policy = STSPolicy.parse(["version: STSv1", "mode: report", "mx: a.example", "max_age: 86400"])
        #expect(policy.mode == nil)
        #expect(policy.modeText == "report")
        #expect(policy.problems == ["mode 'report' is not one of enforce, testing, none"])
    }

    @Test func modeNoneNeedsNoMX() {
        let policy = STSPolicy.parse(["version: STSv1", "mode: none", "max_age: 86400"])
        #expect(policy.mode == STSMode.none)
        #expect(policy.mx.isEmpty)
        #expect(policy.isValid)
    }

    @Test(arguments: [STSMode.enforce, .testing])
    func modesThatApplyNeedMX(mode: STSMode) {
        let policy = STSPolicy.parse(["version: STSv1", "mode: \(mode.rawValue)", "max_age: 86400"])
        #expect(policy.problems == ["no mx: line while mode is \(mode.rawValue)"])
    }

    @Test func maxAgeOverTheLimitIsKeptAndFlagged() {
        let policy = STSPolicy.parse(["version: STSv1", "mode: none", "max_age: 99999999999"])
        #expect(policy.maxAge == 99_999_999_999)
        #expect(policy.problems == ["max_age 99999999999 exceeds 31557600"])
    }

    @Test func maxAgeAtTheLimitIsValid() {
        #expect(STSPolicy.parse(["version: STSv1", "mode: none", "max_age: 31557600"]).isValid)
        #expect(!STSPolicy.parse(["version: STSv1", "mode: none", "max_age: 31557601"]).isValid)
    }

    @Test(arguments: ["1w", "-5", "+5", "", "86 400", "8.5", "0x10"])
    func nonNumericMaxAgeIsFlagged(value: String) {
        let policy = STSPolicy.parse(["version: STSv1", "mode: none", "max_age: \(value)"])
        #expect(policy.maxAge == nil)
        #expect(policy.problems == ["max_age '\(value)' is not a number of seconds"])
    }

    @Test func maxAgeBeyond64BitsIsFlaggedNotCrashed() {
        let policy = STSPolicy.parse(["version: STSv1", "mode: none", "max_age: 123456789012345678901234567890"])
        #expect(policy.maxAge == nil)
        #expect(policy.problems == ["max_age 123456789012345678901234567890 exceeds 31557600"])
    }

    @Test func missingFieldsAreEachReported() {
        #expect(STSPolicy.parse([]).problems == ["version missing", "mode missing", "max_age missing"])
        let onlyMX = STSPolicy.parse(["mx: a.example"])
        #expect(onlyMX.problems == ["version missing", "mode missing", "max_age missing"])
    }

    @Test func elementsWithEmbeddedLineBreaksAreSplit() {
        let policy = STSPolicy.parse(["version: STSv1\r\nmode: enforce\r\nmx: a.example\nmx: b.example\r\nmax_age: 86400\r\n"])
        #expect(policy.mode == .enforce)
        #expect(policy.mx == ["a.example", "b.example"])
        #expect(policy.maxAge == 86400)
        #expect(policy.isValid)
    }

    @Test func lineWithoutColonIsFlagged() {
        let policy = STSPolicy.parse(["version: STSv1", "foo", "mode: none", "max_age: 86400"])
        #expect(policy.problems == ["line 'foo' has no colon"])
    }

    @Test func keysAndModesAreCaseSensitiveButStillRead() {
        let policy = STSPolicy.parse(["Version: STSv1", "MODE: Enforce", "mx: a.example", "max_age: 86400"])
        #expect(policy.version == "STSv1")
        #expect(policy.mode == .enforce)
        #expect(policy.modeText == "Enforce")
        #expect(
            policy.problems == [
                "key 'Version' should be written 'version'", "key 'MODE' should be written 'mode'", "mode 'Enforce' should be written 'enforce'",
            ]
        )
    }

    @Test func wrongVersionIsFlagged() {
        let policy = STSPolicy.parse(["version: STSv2", "mode: none", "max_age: 86400"])
        #expect(policy.version == "STSv2")
        #expect(policy.problems == ["version 'STSv2' is not STSv1"])
    }

    @Test func oddMXLinesAreFlagged() {
        let policy = STSPolicy.parse(["version: STSv1", "mode: enforce", "mx:", "mx: mail.*.example", "mx: a.example", "max_age: 86400"])
        #expect(policy.mx == ["mail.*.example", "a.example"])
        #expect(policy.problems == ["line 'mx:' has no mx pattern", "mx pattern 'mail.*.example' uses '*' other than as its whole left-most label"])
    }

    @Test func microsoftShapedPolicy() {
        // Microsoft's policy string as in Tests/Fixtures/microsoft-sts-tlsa.json, first policy (a wildcard MX).
        let policy = STSPolicy.parse(["version: STSv1", "mode: enforce", "mx: *.example.net", "max_age: 2592000"])
        #expect(policy == STSPolicy(version: "STSv1", mode: .enforce, modeText: "enforce", mx: ["*.example.net"], maxAge: 2_592_000))
    }
}
