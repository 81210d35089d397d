/// Reports shaped like the hostile counts of the hardening issue (findings 1–3), generated as JSON text so
/// that no large file is committed. Every number a test expects is worked out by hand from these shapes.
public enum HostileCounts {
    /// 2^53, the largest count I-JSON guarantees, written out rather than taken from the code under test.
    public static let twoTo53: Int64 = 9_007_199_254_740_992

    static let policy = #"{"policy-type":"sts","policy-domain":"example.com"}"#

    /// Finding 1: `details` failure details of 2^53 sessions each, all in one failure group.
    public static func overflowingGroup(details: Int = 1024, reportID: String = "finding-1") -> [UInt8] {
        let detail = #"{"result-type":"certificate-expired","receiving-mx-hostname":"mx.example.com","failed-session-count":\#(twoTo53)}"#
        return report(reportID: reportID, successful: 0, failed: twoTo53, details: Array(repeating: detail, count: details))
    }

    /// Finding 2 inside one report: the same counts, each detail with its own `additional-information`.
    public static func overflowingDistinctGroups(details: Int = 1024, reportID: String = "finding-2") -> [UInt8] {
        let rows = (0..<details).map { index in
            #"{"result-type":"certificate-expired","additional-information":"info-\#(index)","failed-session-count":\#(twoTo53)}"#
        }
        return report(reportID: reportID, successful: 0, failed: twoTo53, details: rows)
    }

    /// Finding 2 across reports: one report that is acceptable on its own (2^53 failed sessions in one
    /// failure detail, 2^53 in its summary), of which many together pass 64 bits in every rollup.
    public static func maximalReport(index: Int, additionalInformation: String? = nil) -> [UInt8] {
        let info = additionalInformation.map { #","additional-information":"\#($0)""# } ?? ""
        let detail =
            #"{"result-type":"certificate-expired","receiving-mx-hostname":"mx.example.com","failed-session-count":\#(twoTo53)\#(info)}"#
        return report(reportID: "maximal-\(index)", successful: 0, failed: twoTo53, details: [detail])
    }

    /// Finding 3: one failure group naming `addresses` distinct receiving IPs (10.x.y.z), one session each.
    public static func manyReceivingIPs(_ addresses: Int, reportID: String = "finding-3") -> [UInt8] {
        let rows = (0..<addresses).map { index in
            #"{"result-type":"certificate-expired","receiving-mx-hostname":"mx.example.com","receiving-ip":"10.\#(index >> 16 & 255).\#(index >> 8 & 255).\#(index & 255)","failed-session-count":1}"#
        }
        return report(reportID: reportID, successful: 0, failed: Int64(addresses), details: rows)
    }

    /// A small honest report, to sit beside the hostile ones.
    public static func good(reportID: String = "good") -> [UInt8] {
        let detail = #"{"result-type":"starttls-not-supported","receiving-mx-hostname":"mx.example.com","receiving-ip":"192.0.2.1","failed-session-count":3}"#
        return report(reportID: reportID, successful: 97, failed: 3, details: [detail])
    }

    static func report(reportID: String, successful: Int64, failed: Int64, details: [String]) -> [UInt8] {
        let summary = #"{"total-successful-session-count":\#(successful),"total-failure-session-count":\#(failed)}"#
        return reportJSON(
            reportID: "\"\(reportID)\"",
            policies: #"[{"policy":\#(policy),"summary":\#(summary),"failure-details":[\#(details.joined(separator: ","))]}]"#)
    }
}
