/// A minimal valid report, with the pieces a test varies spliced in as JSON text.
public func reportJSON(
    organization: String = #""Google Inc.""#, reportID: String = #""2026-11-22T00:00:00Z_example.com""#,
    start: String = "2026-11-22T00:00:00Z", end: String = "2026-11-22T23:59:59Z", contact: String = #""x@google.com""#,
    policies: String =
        #"[{"policy":{"policy-type":"sts","policy-domain":"example.com"},"summary":{"total-successful-session-count":5,"total-failure-session-count":1}}]"#
) -> [UInt8] {
    Array(
        """
        {"organization-name":\(organization),"date-range":{"start-datetime":"\(start)","end-datetime":"\(end)"},
         "contact-info":\(contact),"report-id":\(reportID),"policies":\(policies)}
        """.utf8)
}
