import Foundation
import TLSRPTTestSupport
import Testing

@testable import TLSRPTCore

struct ReportDecoderTests {
    let decoder = ReportDecoder()

    func decode(_ bytes: [UInt8], fallback: String? = nil) throws(ReportDecodingError) -> Report {
        try decoder.decode(bytes, context: .init(fallbackPolicyDomain: fallback)).report
    }

    func rejection(_ bytes: [UInt8]) -> ReportDecodingError? {
        do {
            _ = try decode(bytes)
            return nil
        } catch {
            return error
        }
    }

    func policies(_ entries: String) -> [UInt8] { reportJSON(policies: "[\(entries)]") }

    // MARK: Acceptance rules

    @Test func acceptsTheMinimalReport() throws {
        let report = try decode(reportJSON())
        #expect(report.organizationName == "Google Inc.")
        #expect(report.reportID == "2026-11-22T00:00:00Z_example.com")
        #expect(report.contactInfo == "x@google.com")
        #expect(report.dateRange.start.timeIntervalSince1970 == 1_795_305_600)  // 2026-11-22T00:00:00Z
        #expect(report.policies.count == 1)
        #expect(report.policies[0].summary == SessionSummary(successful: 5, failed: 1))
        #expect(report.policies[0].failureDetails.isEmpty)
        #expect(report.notes.isEmpty)
    }

    @Test(arguments: [
        (
            "organization-name",
            "{\"date-range\":{\"start-datetime\":\"2026-11-22T00:00:00Z\",\"end-datetime\":\"2026-11-22T23:59:59Z\"},\"report-id\":\"a\",\"policies\":[]}"
        ),
        (
            "report-id",
            "{\"organization-name\":\"o\",\"date-range\":{\"start-datetime\":\"2026-11-22T00:00:00Z\",\"end-datetime\":\"2026-11-22T23:59:59Z\"},\"policies\":[]}"
        ),
        ("date-range", "{\"organization-name\":\"o\",\"report-id\":\"a\",\"policies\":[]}"),
        (
            "policies",
            "{\"organization-name\":\"o\",\"report-id\":\"a\",\"date-range\":{\"start-datetime\":\"2026-11-22T00:00:00Z\",\"end-datetime\":\"2026-11-22T23:59:59Z\"}}"
        ),
        (
            "date-range.end-datetime",
            "{\"organization-name\":\"o\",\"report-id\":\"a\",\"date-range\":{\"start-datetime\":\"2026-11-22T00:00:00Z\"},\"policies\":[]}"
        ),
    ])
    func rejectsAReportMissingARequiredField(path: String, json: String) throws {
        let error = try #require(rejection(Array(json.utf8)))
        #expect(error == ReportDecodingError(.missingField, path: path, ""))
        #expect(error.description == "\(path) is missing")
    }

    @Test func rejectsPoliciesThatAreNotAList() throws {
        let error = try #require(rejection(reportJSON(policies: #"{"policy":{}}"#)))
        #expect(error.description == "policies is an object, must be a list")
    }

    @Test func rejectsAPolicyWithoutPolicyType() throws {
        let error = try #require(rejection(policies(#"{"policy":{"policy-domain":"a.example"},"summary":{}}"#)))
        #expect(error.description == "policies[0].policy.policy-type is missing")
    }

    @Test func rejectsADateThatDoesNotParse() throws {
        let error = try #require(rejection(reportJSON(start: "April fools")))
        #expect(error.description == #"date-range.start-datetime is "April fools", not an RFC 3339 date-time"#)
    }

    @Test func rejectsWrongTypesWithTheFieldPath() throws {
        let error = try #require(rejection(reportJSON(organization: "42")))
        #expect(error == ReportDecodingError(.wrongType, path: "organization-name", ""))
        #expect(try #require(rejection(reportJSON(reportID: #""  ""#))).description == "report-id is empty")
    }

    @Test(arguments: [
        ("-3", "is -3, must be a non-negative integer"),
        ("5.5", "is 5.5, must be a non-negative integer"),
        ("5.0", "is 5.0, must be a non-negative integer"),
        ("1e400", "is 1e400, must be a non-negative integer"),
        (#""5""#, #"is the string "5", must be a non-negative integer"#),
        ("true", "is true, must be a non-negative integer"),
        ("18446744073709551616", "is 18446744073709551616, which does not fit in 64 bits"),
        ("9007199254740993", "is 9007199254740993, more than 2^53 (I-JSON's exact integer range)"),
    ])
    func rejectsBadCountsNamingTheField(count: String, message: String) throws {
        let json = policies(
            #"{"policy":{"policy-type":"sts"},"summary":{"total-successful-session-count":1,"total-failure-session-count":\#(count)}}"#)
        let error = try #require(rejection(json))
        #expect(error.description == "policies[0].summary.total-failure-session-count \(message)")
    }

    @Test func rejectsABadFailedSessionCount() throws {
        let json = policies(
            #"{"policy":{"policy-type":"sts"},"summary":{"total-successful-session-count":1,"total-failure-session-count":1},"failure-details":[{"result-type":"certificate-expired","failed-session-count":-1}]}"#
        )
        #expect(
            try #require(rejection(json)).description == "policies[0].failure-details[0].failed-session-count is -1, must be a non-negative integer")
    }

    @Test func countsAbove2To31RoundTrip() throws {
        let json = policies(
            #"{"policy":{"policy-type":"sts"},"summary":{"total-successful-session-count":5000000000,"total-failure-session-count":0}}"#)
        #expect(try decode(json).policies[0].summary.successful == 5_000_000_000)
    }

    // MARK: Tolerance for real senders

    @Test func emptyPoliciesIsAValidEmptyReport() throws {
        #expect(try decode(reportJSON(policies: "[]")).policies.isEmpty)
    }

    @Test func contactInfoMayBeNullOrAbsent() throws {
        #expect(try decode(reportJSON(contact: "null")).contactInfo == nil)
    }

    @Test func failureDetailsMayBeAbsentNullOrEmpty() throws {
        for details in ["", #","failure-details":null"#, #","failure-details":[]"#] {
            let json = policies(
                #"{"policy":{"policy-type":"sts"},"summary":{"total-successful-session-count":1,"total-failure-session-count":0}\#(details)}"#)
            #expect(try decode(json).policies[0].failureDetails.isEmpty)
        }
    }

    @Test func aMissingSummaryCountIsReadAsZeroAndNoted() throws {
        let report = try decode(policies(#"{"policy":{"policy-type":"no-policy-found"},"summary":{"total-successful-session-count":1}}"#))
        #expect(report.policies[0].summary == SessionSummary(successful: 1, failed: 0))
        #expect(
            report.notes == [
                "policies[0].policy.policy-domain is missing", "policies[0].summary.total-failure-session-count is missing; read as 0",
            ])
    }

    @Test func microsoftDatesWithoutAZoneAreUTCAndNoted() throws {
        let report = try decode(reportJSON(start: "2023-01-10T00:00:00", end: "2023-01-10T23:59:59"))
        #expect(report.dateRange.start.timeIntervalSince1970 == 1_673_308_800)
        #expect(report.notes.contains("start-datetime has no time zone; read as UTC"))
        #expect(report.notes.contains("end-datetime has no time zone; read as UTC"))
    }

    @Test func mxHostAsAStringAListOrWithALeakedPrefix() throws {
        func mx(_ value: String) throws -> [String] {
            try decode(
                policies(
                    #"{"policy":{"policy-type":"sts","policy-domain":"Example.COM.","mx-host":\#(value)},"summary":{"total-successful-session-count":1,"total-failure-session-count":0}}"#
                )
            ).policies[0].policy.mxHosts
        }
        #expect(try mx(#""*.Example.com""#) == ["*.example.com"])
        #expect(try mx(#"["mx1.example.com","MX2.example.com."]"#) == ["mx1.example.com", "mx2.example.com"])
        #expect(try mx(#"["mx: mx.server.com"]"#) == ["mx.server.com"])
    }

    @Test func policyDomainIsNormalisedOrTakenFromTheFallback() throws {
        let named = try decode(policies(#"{"policy":{"policy-type":"sts","policy-domain":"Bücher.Example."},"summary":{}}"#))
        #expect(named.policies[0].policy.domain == "xn--bcher-kva.example")
        // Without policy-domain, counting keeps the policy under "no domain" (docs/ARCHITECTURE.md); the fallback is kept beside it.
        let unnamed = try decode(policies(#"{"policy":{"policy-type":"no-policy-found"},"summary":{}}"#), fallback: "Example.org")
        #expect(unnamed.policies[0].policy.domain == nil)
        #expect(unnamed.policies[0].policy.inferredDomain == "example.org")
        #expect(unnamed.notes.contains("policies[0].policy.policy-domain is missing; the mail or file name says example.org"))
        #expect(try decode(policies(#"{"policy":{"policy-type":"no-policy-found"},"summary":{}}"#)).policies[0].policy.domain == nil)
    }

    @Test func stsPolicyStringIsParsedAndADraftStyleSingleStringIsSplit() throws {
        let array = try decode(
            policies(
                #"{"policy":{"policy-type":"sts","policy-string":["version: STSv1","mode: enforce","mx: mx1.example.com","max_age: 604800"]},"summary":{}}"#
            ))
        let sts = try #require(array.policies[0].policy.sts)
        #expect(sts.mode == .enforce)
        #expect(sts.mx == ["mx1.example.com"])
        #expect(sts.maxAge == 604_800)
        let single = try decode(
            policies(
                #"{"policy":{"policy-type":"sts","policy-string":"version: STSv1\r\nmode: testing\r\nmx: a.example\r\nmax_age: 86400"},"summary":{}}"#
            ))
        #expect(single.policies[0].policy.strings == ["version: STSv1", "mode: testing", "mx: a.example", "max_age: 86400"])
        #expect(single.policies[0].policy.sts?.mode == .testing)
    }

    @Test func microsoftTLSAPolicyStringHoldingAJSONArrayIsUnpacked() throws {
        let bytes = try Fixtures.bytes("microsoft-sts-tlsa.json")
        let report = try decode(bytes)
        #expect(report.policies.map(\.policy.type) == [.sts, .tlsa])
        let records = report.policies[1].policy.tlsa
        #expect(records.count == 2)
        #expect(
            records.first
                == TLSARecord(usage: 3, selector: 1, matchingType: 1, data: "0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6"))
    }

    @Test func unknownPolicyAndResultTypesAreKeptAndNoted() throws {
        let report = try decode(
            policies(
                #"{"policy":{"policy-type":"Invalid-Policy-Type"},"summary":{},"failure-details":[{"result-type":"Testing","failed-session-count":3},{"result-type":" Certificate-Expired ","failed-session-count":1}]}"#
            ))
        #expect(report.policies[0].policy.type == .other("invalid-policy-type"))
        let details = report.policies[0].failureDetails
        #expect(details[0].resultType == .unknown("testing"))
        #expect(details[0].resultTypeRaw == "Testing")
        #expect(details[1].resultType == .certificateExpired)
        #expect(details[1].resultTypeRaw == " Certificate-Expired ")
        #expect(report.notes.contains { $0.contains("\"testing\" is not a registered result type") })
        #expect(report.notes.contains { $0.contains("\"invalid-policy-type\" is not a registered policy type") })
    }

    @Test func failureDetailFieldsAreNormalisedAndAliasKeysMapped() throws {
        let report = try decode(
            policies(
                #"{"policy":{"policy-type":"sts"},"summary":{},"failure-details":[{"result-type":"certificate-host-mismatch","sending-mta-ip":"2001:DB8:ABCD:0012::1","receiving-ip":"192.0.2.1","receiving-mx-hostname":"Mail.Example.DE.","receiving-mx-helo":"MX.example.de","failed-session-count":7,"additional-info-uri":"https://x.example/info","failure-error-code":"X509_V_ERR"}]}"#
            ))
        let detail = report.policies[0].failureDetails[0]
        #expect(detail.sendingMTAIP == "2001:db8:abcd:12::1")
        #expect(detail.receivingIP == "192.0.2.1")
        #expect(detail.receivingMXHostname == "mail.example.de")
        #expect(detail.receivingMXHelo == "mx.example.de")
        #expect(detail.failedSessionCount == 7)
        #expect(detail.additionalInformation == "https://x.example/info")
        #expect(detail.failureReasonCode == "X509_V_ERR")
    }

    @Test func socketLabsReceivingMXHostNameSpellingIsAccepted() throws {
        // SocketLabs' shape: a success entry and a failure entry, the host under `receiving-mx-host-name`.
        let report = try decode(
            policies(
                #"{"policy":{"policy-type":"sts","policy-domain":"example.com"},"summary":{"total-successful-session-count":0,"total-failure-session-count":2},"failure-details":[{"result-type":"certificate-host-mismatch","sending-mta-ip":"142.0.177.133","receiving-mx-host-name":"MX1.Example.com.","receiving-ip":"192.0.2.7","failed-session-count":2}]}"#
            ))
        let detail = report.policies[0].failureDetails[0]
        #expect(detail.receivingMXHostname == "mx1.example.com")
        #expect(detail.failedSessionCount == 2)
        #expect(report.notes.isEmpty)
    }

    @Test func theStandardHostNameKeyWinsOverTheAlias() throws {
        let report = try decode(
            policies(
                #"{"policy":{"policy-type":"sts"},"summary":{},"failure-details":[{"result-type":"validation-failure","receiving-mx-hostname":"a.example","receiving-mx-host-name":"b.example","failed-session-count":1}]}"#
            ))
        #expect(report.policies[0].failureDetails[0].receivingMXHostname == "a.example")
    }

    @Test func aFailureDetailWithoutResultTypeOrCountIsSkippedNotTheReport() throws {
        // Three details: the first has no result-type, the second a null failed-session-count, the third is
        // whole. The report and its sessions (10 successful, 5 failed) stay; only the third detail is kept.
        let report = try decode(
            policies(
                #"{"policy":{"policy-type":"sts","policy-domain":"example.com"},"summary":{"total-successful-session-count":10,"total-failure-session-count":5},"failure-details":[{"receiving-mx-hostname":"mx.example.com","failed-session-count":2},{"result-type":"starttls-not-supported","failed-session-count":null},{"result-type":"certificate-expired","failed-session-count":3}]}"#
            ))
        #expect(report.policies[0].summary == SessionSummary(successful: 10, failed: 5))
        #expect(report.policies[0].failureDetails.count == 1)
        #expect(report.policies[0].failureDetails[0].resultType == .certificateExpired)
        #expect(report.policies[0].failureDetails[0].failedSessionCount == 3)
        #expect(report.notes.contains("policies[0].failure-details[0] has no result-type; the failure detail is skipped"))
        #expect(report.notes.contains("policies[0].failure-details[1] has no failed-session-count; the failure detail is skipped"))
    }

    @Test func aFailureDetailWithNeitherFieldIsSkippedWithOneNote() throws {
        let report = try decode(
            policies(#"{"policy":{"policy-type":"sts"},"summary":{"total-successful-session-count":4},"failure-details":[{}]}"#))
        #expect(report.policies[0].failureDetails.isEmpty)
        #expect(report.policies[0].summary.successful == 4)
        #expect(report.notes.contains("policies[0].failure-details[0] has no result-type or failed-session-count; the failure detail is skipped"))
    }

    @Test func addressesThatDoNotParseAreKeptAsSentAndNoted() throws {
        let report = try decode(
            policies(
                #"{"policy":{"policy-type":"sts"},"summary":{},"failure-details":[{"result-type":"validation-failure","sending-mta-ip":"x.x.x.x","receiving-ip":"010.1.2.3","receiving-mx-hostname":"","failed-session-count":1}]}"#
            ))
        let detail = report.policies[0].failureDetails[0]
        #expect(detail.sendingMTAIP == "x.x.x.x")
        #expect(detail.receivingIP == "010.1.2.3")
        #expect(detail.receivingMXHostname == nil)
        #expect(report.notes.filter { $0.contains("is not an IP address") }.count == 2)
    }

    @Test func endBeforeStartIsNotedNotRejected() throws {
        let report = try decode(reportJSON(start: "2026-11-22T00:00:00Z", end: "2026-11-21T00:00:00Z"))
        #expect(report.notes == ["date-range ends before it starts"])
    }

    @Test func theCanonicalJSONIsTheSameForTheSameReportFormattedDifferently() throws {
        let compact = try decoder.decode(reportJSON())
        let pretty = try decoder.decode(
            [0xEF, 0xBB, 0xBF] + Array(String(decoding: reportJSON(), as: UTF8.self).replacingOccurrences(of: ",", with: ",\r\n  ").utf8))
        #expect(compact.canonicalJSON == pretty.canonicalJSON)
    }
}
