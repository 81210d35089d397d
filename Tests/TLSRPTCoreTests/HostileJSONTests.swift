import Testing

@testable import TLSRPTCore

/// Hostile JSON at the parser and decoder level: what the CLI battery (HostileInputTests) sends through
/// the real executable, checked here for its exact kind of failure and its cost.
struct HostileJSONTests {
    func failure(_ bytes: [UInt8]) -> JSONParseError.Code? {
        do {
            _ = try JSONParser().parse(bytes)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func nestingHundredsOfThousandsDeepStopsAtTheLimitWithoutTheStack() {
        #expect(failure(Array(repeating: UInt8(ascii: "["), count: 500_000)) == .tooDeep)
        #expect(failure(Array(String(repeating: #"{"a":"#, count: 300_000).utf8)) == .tooDeep)
        #expect(failure(Array(String(repeating: #"[{"a":"#, count: 100_000).utf8)) == .tooDeep)
    }

    /// A duplicate member name was found by scanning the members before it, so an object of half a million
    /// members took about 10^11 comparisons (hours). With a set beyond a few members it is linear.
    @Test(.timeLimit(.minutes(1))) func halfAMillionMembersEndingInADuplicateIsLinear() {
        var text = #"{"k0":0"#
        for index in 1..<500_000 { text += #","k\#(index)":0"# }
        text += #","k499999":1}"#
        #expect(failure(Array(text.utf8)) == .duplicateKey)
    }

    @Test func duplicatesAreFoundOnBothSidesOfTheSwitchToASet() {
        for count in [2, 15, 16, 17, 40] {
            for duplicate in [0, count / 2, count - 1] {
                let members = (0..<count).map { #""k\#($0)":\#($0)"# } + [#""k\#(duplicate)":0"#]
                #expect(failure(Array("{\(members.joined(separator: ","))}".utf8)) == .duplicateKey, "\(count) members, k\(duplicate) twice")
            }
            let distinct = (0..<count).map { #""k\#($0)":\#($0)"# }
            #expect(failure(Array("{\(distinct.joined(separator: ","))}".utf8)) == nil)
        }
    }

    /// 16 MiB of `[0,0,...]` is 8 million values, about 400 MB as a tree: the parser stops at a million.
    @Test func valuesAreCountedAndCapped() {
        var text = "[0"
        text += String(repeating: ",0", count: 1_000_000)
        text += "]"
        #expect(failure(Array(text.utf8)) == .tooManyValues)
        #expect(failure(Array("[\(String(repeating: "0,", count: 999_998))0]".utf8)) == nil)
    }

    @Test func reasonsStayShortWhateverTheInput() throws {
        let digits = String(repeating: "7", count: 1_000_000)
        let key = String(repeating: "k", count: 1_000_000)
        var reasons: [String] = []
        for text in [
            #"{"organization-name":"x","report-id":"r","date-range":\#(digits),"policies":[]}"#,
            #"{"\#(key)":1,"\#(key)":2}"#,
        ] {
            do {
                _ = try ReportDecoder().decode(Array(text.utf8))
                Issue.record("accepted")
            } catch {
                reasons.append(error.description)
            }
        }
        for reason in reasons { #expect(reason.utf8.count < 200, "\(reason.prefix(300))") }
    }

    @Test func countsBeyondWhatIsExactAreRejectedWithTheirPath() {
        for count in ["123456789012345678901234567890", "1e400", "-5", "\"5\"", "5.5", "true", "9007199254740993"] {
            let text =
                #"{"organization-name":"x","report-id":"r","date-range":{"start-datetime":"2026-11-22T00:00:00Z","end-datetime":"2026-11-23T00:00:00Z"},"policies":[{"policy":{"policy-type":"sts"},"summary":{"total-successful-session-count":\#(count),"total-failure-session-count":0}}]}"#
            do {
                _ = try ReportDecoder().decode(Array(text.utf8))
                Issue.record("\(count) accepted")
            } catch {
                #expect(error.description.contains("policies[0].summary.total-successful-session-count"), "\(error.description)")
            }
        }
    }
}
