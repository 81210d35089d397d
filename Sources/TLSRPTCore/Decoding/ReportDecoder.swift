import Foundation

/// Turns report JSON into a normalised `Report`.
///
/// Strict where data would be wrong (counts must be non-negative 64-bit integers, dates must parse, the
/// identity fields must be there), tolerant where real senders are sloppy: everything else is optional,
/// unknown keys are ignored (the raw JSON is kept by the store), and the quirks below are each handled in
/// one place with the sender named.
public struct ReportDecoder: Sendable {
    /// What the decoder may use when the JSON itself is silent.
    public struct Context: Sendable {
        /// The mail's `TLS-Report-Domain`, when the report came by mail.
        public var reportDomainHeader: String?
        /// Names the report was found under (attachment, file); an RFC 8460 name carries the policy domain.
        public var fileNames: [String]

        public init(fallbackPolicyDomain: String? = nil, fileNames: [String] = []) {
            self.reportDomainHeader = fallbackPolicyDomain
            self.fileNames = fileNames
        }

        /// Recorded for policies without `policy-domain` (Postfix's reporter, 2025): the mail's
        /// `TLS-Report-Domain`, else the domain in an RFC 8460 file name. Worked out only when needed:
        /// parsing file names for every report showed up in ingest profiles.
        public var fallbackPolicyDomain: String? {
            reportDomainHeader ?? fileNames.lazy.compactMap { ReportFileName($0)?.policyDomain }.first
        }
    }

    /// A decoded report and the canonical form of its JSON, from which the store derives the content hash.
    public struct Decoded: Sendable {
        public var report: Report
        public var canonicalJSON: [UInt8]
    }

    public var parser: JSONParser

    public init(parser: JSONParser = JSONParser()) {
        self.parser = parser
    }

    public func decode(_ bytes: [UInt8], context: Context = Context()) throws(ReportDecodingError) -> Decoded {
        let value: JSONValue
        do {
            value = try parser.parse(bytes)
        } catch {
            throw ReportDecodingError(.invalidJSON, path: "", error.description)
        }
        let report = try decode(value, context: context)
        return Decoded(report: report, canonicalJSON: value.canonicalBytes())
    }

    public func decode(_ value: JSONValue, context: Context = Context()) throws(ReportDecodingError) -> Report {
        guard case .object(let root) = value else {
            throw ReportDecodingError(.wrongType, path: "", "the document is \(value.kindDescription), not a report object")
        }
        var notes: [String] = []
        let organization = try requiredString(root, "organization-name", path: "")
            .trimmingASCIIWhitespace()
        guard !organization.isEmpty else {
            throw ReportDecodingError(.invalidValue, path: "organization-name", "is empty")
        }
        let reportID = try requiredString(root, "report-id", path: "")
        guard !reportID.trimmingASCIIWhitespace().isEmpty else {
            throw ReportDecodingError(.invalidValue, path: "report-id", "is empty")
        }
        let contact = try optionalString(root, "contact-info", path: "")
        let dateRange = try decodeDateRange(root, notes: &notes)

        guard let policiesValue = root["policies"] else {
            throw ReportDecodingError(.missingField, path: "policies", "is missing")
        }
        guard case .array(let policyValues) = policiesValue else {
            throw ReportDecodingError(.wrongType, path: "policies", "is \(policiesValue.kindDescription), must be a list")
        }
        var policies: [PolicyResult] = []
        policies.reserveCapacity(policyValues.count)
        var totals = ReportTotals()
        var cardinality = ReportCardinality()
        for (index, policyValue) in policyValues.enumerated() {
            policies.append(
                try decodePolicyResult(
                    policyValue, path: "policies[\(index)]", context: context, totals: &totals, cardinality: &cardinality, notes: &notes))
        }
        return Report(
            organizationName: organization, contactInfo: contact, reportID: reportID, dateRange: dateRange,
            policies: policies, notes: cardinality.finish(notes))
    }

    // MARK: - Date range

    private func decodeDateRange(_ root: JSONObject, notes: inout [String]) throws(ReportDecodingError) -> DateRange {
        guard let rangeValue = root["date-range"] else {
            throw ReportDecodingError(.missingField, path: "date-range", "is missing")
        }
        guard case .object(let range) = rangeValue else {
            throw ReportDecodingError(.wrongType, path: "date-range", "is \(rangeValue.kindDescription), must be an object")
        }
        let start = try decodeDate(range, "start-datetime", notes: &notes)
        let end = try decodeDate(range, "end-datetime", notes: &notes)
        if end < start {
            notes.append("date-range ends before it starts")
        }
        return DateRange(start: start, end: end)
    }

    private func decodeDate(_ range: JSONObject, _ key: String, notes: inout [String]) throws(ReportDecodingError) -> Date {
        let text = try requiredString(range, key, path: "date-range")
        guard let parsed = RFC3339Date.parse(text) else {
            throw ReportDecodingError(.invalidValue, path: "date-range.\(key)", "is \"\(Self.clip(text))\", not an RFC 3339 date-time")
        }
        if !parsed.hadZone {
            // Microsoft (2023, March 2024) sent date-times without a zone; the report covers a UTC day.
            notes.append("\(key) has no time zone; read as UTC")
        }
        return parsed.date
    }

    // MARK: - Policies

    private func decodePolicyResult(
        _ value: JSONValue, path: @autoclosure () -> String, context: Context, totals: inout ReportTotals,
        cardinality: inout ReportCardinality, notes: inout [String]
    ) throws(ReportDecodingError) -> PolicyResult {
        guard case .object(let entry) = value else {
            throw ReportDecodingError(.wrongType, path: path(), "is \(value.kindDescription), must be an object")
        }
        guard let policyValue = entry["policy"] else {
            throw ReportDecodingError(.missingField, path: "\(path()).policy", "is missing")
        }
        guard case .object(let policyObject) = policyValue else {
            throw ReportDecodingError(.wrongType, path: "\(path()).policy", "is \(policyValue.kindDescription), must be an object")
        }
        let policy = try decodePolicy(policyObject, path: "\(path()).policy", context: context, notes: &notes)

        guard let summaryValue = entry["summary"] else {
            throw ReportDecodingError(.missingField, path: "\(path()).summary", "is missing")
        }
        guard case .object(let summaryObject) = summaryValue else {
            throw ReportDecodingError(.wrongType, path: "\(path()).summary", "is \(summaryValue.kindDescription), must be an object")
        }
        let successful = try count(summaryObject, "total-successful-session-count", path: "\(path()).summary", notes: &notes)
        let failed = try count(summaryObject, "total-failure-session-count", path: "\(path()).summary", notes: &notes)
        try totals.addSessions(successful, path: "\(path()).summary.total-successful-session-count")
        try totals.addSessions(failed, path: "\(path()).summary.total-failure-session-count")

        var details: [FailureDetail] = []
        switch entry["failure-details"] {
        case nil, .null?:
            break  // Google and Microsoft leave the key out when nothing failed.
        case .array(let detailValues)?:
            details.reserveCapacity(detailValues.count)
            for (index, detailValue) in detailValues.enumerated() {
                guard var detail = try decodeFailureDetail(detailValue, path: "\(path()).failure-details[\(index)]", notes: &notes)
                else { continue }
                detail.receivingMXHostname = cardinality.admit(host: detail.receivingMXHostname)
                detail.resultType = cardinality.admit(resultType: detail.resultType)
                try totals.addFailureDetail(
                    detail.failedSessionCount, path: "\(path()).failure-details[\(index)].failed-session-count")
                details.append(detail)
            }
        case let other?:
            throw ReportDecodingError(
                .wrongType, path: "\(path()).failure-details", "is \(other.kindDescription), must be a list")
        }
        return PolicyResult(policy: policy, summary: SessionSummary(successful: successful, failed: failed), failureDetails: details)
    }

    private func decodePolicy(
        _ object: JSONObject, path: @autoclosure () -> String, context: Context, notes: inout [String]
    ) throws(ReportDecodingError) -> Policy {
        let typeText = try requiredString(object, "policy-type", path: path())
        let type = PolicyType(canonicalising: typeText)
        if case .other(let name) = type {
            notes.append("\(path()).policy-type \"\(Self.clip(name))\" is not a registered policy type; kept as sent")
        }
        let strings = try policyStrings(object, path: path())
        var domain = try optionalString(object, "policy-domain", path: path()).map(HostName.normalise)
        var inferredDomain: String? = nil
        if domain?.isEmpty ?? true {
            // Postfix's tlsrpt-reporter omitted policy-domain for no-policy-found (2025). The summary keeps such
            // policies under "no domain" (docs/ARCHITECTURE.md); the mail's or file name's domain is kept beside it.
            domain = nil
            inferredDomain = context.fallbackPolicyDomain.map(HostName.normalise)
            notes.append(
                "\(path()).policy-domain is missing" + (inferredDomain.map { "; the mail or file name says \($0)" } ?? ""))
        }
        // `mx-host` is an array by the schema, a string in the RFC's own example (erratum 6241);
        // `mx-host-pattern` is an early spelling.
        let mxValue = object["mx-host"] ?? object["mx-host-pattern"]
        var mxHosts: [String] = []
        switch mxValue {
        case nil, .null?: break
        case .string(let single)?: mxHosts = [MXPattern(single).text]
        case .array(let elements)?:
            for (index, element) in elements.enumerated() {
                guard case .string(let text) = element else {
                    throw ReportDecodingError(
                        .wrongType, path: "\(path()).mx-host[\(index)]", "is \(element.kindDescription), must be a string")
                }
                mxHosts.append(MXPattern(text).text)
            }
        case let other?:
            throw ReportDecodingError(.wrongType, path: "\(path()).mx-host", "is \(other.kindDescription), must be a list of strings")
        }
        mxHosts.removeAll { $0.isEmpty }

        var policy = Policy(type: type, strings: strings, domain: domain, mxHosts: mxHosts)
        policy.inferredDomain = inferredDomain
        switch type {
        case .sts where !strings.isEmpty:
            policy.sts = STSPolicy.parse(strings)
        case .tlsa where !strings.isEmpty:
            policy.tlsa = TLSARecord.parseAll(strings).records
        default:
            break
        }
        return policy
    }

    /// `policy-string`: an array of strings, or a single string (draft-era senders) split into lines.
    private func policyStrings(_ object: JSONObject, path: @autoclosure () -> String) throws(ReportDecodingError) -> [String] {
        switch object["policy-string"] {
        case nil, .null?:
            return []
        case .string(let single)?:
            return single.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }).map(String.init)
        case .array(let elements)?:
            var strings: [String] = []
            strings.reserveCapacity(elements.count)
            for (index, element) in elements.enumerated() {
                guard case .string(let text) = element else {
                    throw ReportDecodingError(
                        .wrongType, path: "\(path()).policy-string[\(index)]", "is \(element.kindDescription), must be a string")
                }
                strings.append(text)
            }
            return strings
        case let other?:
            throw ReportDecodingError(
                .wrongType, path: "\(path()).policy-string", "is \(other.kindDescription), must be a list of strings")
        }
    }

    // MARK: - Failure details

    /// One failure detail, or nil when it lacks `result-type` or `failed-session-count`: such a detail says
    /// nothing a summary can count, but its report's sessions are in the policy's summary, so the detail is
    /// skipped and noted rather than the whole report refused. A value that is there but wrong (a count
    /// that is negative or not a number) still refuses the report: that data would be wrong.
    private func decodeFailureDetail(
        _ value: JSONValue, path: @autoclosure () -> String, notes: inout [String]
    ) throws(ReportDecodingError)
        -> FailureDetail?
    {
        guard case .object(let object) = value else {
            throw ReportDecodingError(.wrongType, path: path(), "is \(value.kindDescription), must be an object")
        }
        let missing = ["result-type", "failed-session-count"].filter { object[$0] == nil || object[$0] == .null }
        if !missing.isEmpty {
            notes.append("\(path()) has no \(missing.joined(separator: " or ")); the failure detail is skipped")
            return nil
        }
        let rawType = try requiredString(object, "result-type", path: path())
        let resultType = ResultType(canonicalising: rawType)
        if case .unknown(let name) = resultType {
            notes.append("\(path()).result-type \"\(Self.clip(name))\" is not a registered result type; kept as sent")
        }
        let failed = try Self.nonNegativeInteger(object["failed-session-count"]!, path: "\(path()).failed-session-count")

        let sendingIP = try address(object, "sending-mta-ip", path: path(), notes: &notes)
        let receivingIP = try address(object, "receiving-ip", path: path(), notes: &notes)
        // SocketLabs writes `receiving-mx-host-name` (2024-25) for `receiving-mx-hostname`: without the alias
        // the host a failure happened on was lost.
        var hostText = try optionalString(object, "receiving-mx-hostname", path: path())
        if hostText == nil { hostText = try optionalString(object, "receiving-mx-host-name", path: path()) }
        let host = hostText.map(HostName.normalise)
        let helo = try optionalString(object, "receiving-mx-helo", path: path()).map(HostName.normalise)
        // `additional-info-uri` and `failure-error-code` are spellings seen in tools built on early drafts.
        let info = try optionalString(object, "additional-information", path: path())
        let infoAlias = try optionalString(object, "additional-info-uri", path: path())
        let reason = try optionalString(object, "failure-reason-code", path: path())
        let reasonAlias = try optionalString(object, "failure-error-code", path: path())

        return FailureDetail(
            resultType: resultType, resultTypeRaw: rawType, sendingMTAIP: sendingIP, receivingMXHostname: host.nilIfEmpty,
            receivingMXHelo: helo.nilIfEmpty, receivingIP: receivingIP, failedSessionCount: failed,
            additionalInformation: (info ?? infoAlias).nilIfEmpty, failureReasonCode: (reason ?? reasonAlias).nilIfEmpty)
    }

    /// An IP address in canonical text; a value that is not an address is kept as sent and noted.
    private func address(
        _ object: JSONObject, _ key: String, path: @autoclosure () -> String, notes: inout [String]
    ) throws(ReportDecodingError)
        -> String?
    {
        guard let raw = try optionalString(object, key, path: path())?.trimmingASCIIWhitespace(), !raw.isEmpty
        else { return nil }
        if let canonical = IPAddressText.canonical(raw) { return canonical }
        notes.append("\(path()).\(key) \"\(Self.clip(raw))\" is not an IP address; kept as sent")
        return raw
    }

    // MARK: - Field access

    private func requiredString(_ object: JSONObject, _ key: String, path: @autoclosure () -> String) throws(ReportDecodingError) -> String {
        func fieldPath() -> String { path().isEmpty ? key : "\(path()).\(key)" }
        guard let value = object[key] else {
            throw ReportDecodingError(.missingField, path: fieldPath(), "is missing")
        }
        guard case .string(let text) = value else {
            throw ReportDecodingError(.wrongType, path: fieldPath(), "is \(value.kindDescription), must be a string")
        }
        return text
    }

    private func optionalString(_ object: JSONObject, _ key: String, path: @autoclosure () -> String) throws(ReportDecodingError) -> String? {
        switch object[key] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case let other?:
            let fieldPath = path().isEmpty ? key : "\(path()).\(key)"
            throw ReportDecodingError(.wrongType, path: fieldPath, "is \(other.kindDescription), must be a string")
        }
    }

    /// A summary count. An absent count is read as 0 and noted: some fixtures omit
    /// `total-failure-session-count` when nothing failed, and a heartbeat report is still worth keeping.
    private func count(
        _ object: JSONObject, _ key: String, path: @autoclosure () -> String, notes: inout [String]
    ) throws(ReportDecodingError)
        -> Int64
    {
        guard let value = object[key], value != .null else {
            notes.append("\(path()).\(key) is missing; read as 0")
            return 0
        }
        return try Self.nonNegativeInteger(value, path: "\(path()).\(key)")
    }

    /// I-JSON (which RFC 8460 requires) guarantees integers only up to 2^53; larger counts are not real
    /// and would let one hostile report overflow every sum.
    static let maxCount: Int64 = CountSum.ceiling

    static func nonNegativeInteger(_ value: JSONValue, path: @autoclosure () -> String) throws(ReportDecodingError) -> Int64 {
        guard case .number(let number) = value else {
            throw ReportDecodingError(.wrongType, path: path(), "is \(Self.describe(value)), must be a non-negative integer")
        }
        guard number.isIntegerLiteral else {
            throw ReportDecodingError(.invalidValue, path: path(), "is \(Self.clip(number.literal)), must be a non-negative integer")
        }
        guard let integer = number.int64 else {
            throw ReportDecodingError(.invalidValue, path: path(), "is \(Self.clip(number.literal)), which does not fit in 64 bits")
        }
        guard integer >= 0 else {
            throw ReportDecodingError(.invalidValue, path: path(), "is \(integer), must be a non-negative integer")
        }
        guard integer <= maxCount else {
            throw ReportDecodingError(.invalidValue, path: path(), "is \(integer), more than 2^53 (I-JSON's exact integer range)")
        }
        return integer
    }

    private static func describe(_ value: JSONValue) -> String {
        if case .string(let text) = value { return "the string \"\(clip(text))\"" }
        return value.kindDescription
    }

    /// Keeps error lines short when a hostile report puts megabytes in one field.
    static func clip(_ text: String, to limit: Int = 60) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }
}

extension Optional where Wrapped == String {
    fileprivate var nilIfEmpty: String? {
        guard let self, !self.isEmpty else { return nil }
        return self
    }
}
