package import Foundation
package import TLSRPTCore
package import TLSRPTStore

/// The evidence as diagnosis rules read it: failure groups with the policy they were reported under
/// (parsed), the MTA-STS policies senders quoted, and the counted sessions per sender and domain.
///
/// Built from the store's plain rows (`EvidenceRows`), and put in an order of its own here, so that no
/// rule's result depends on the order SQLite returned rows in: failure groups by their key (sender,
/// domain with "no domain" first, policy type and text, result type, MX host, reason code, additional
/// information, each by the bytes of its UTF-8), quoted policies latest first.
package struct DiagnosisEvidence: Sendable, Equatable {
    /// Failure details grouped by (sender, policy domain, policy, result type, host, reason, information).
    package var failures: [FailureGroup] = []
    /// The distinct MTA-STS policies senders quoted per domain, newest first.
    package var stsPolicies: [QuotedSTSPolicy] = []
    /// Counted sessions per (sender, policy domain).
    package var sessions: [SenderSessions] = []

    package init(failures: [FailureGroup] = [], stsPolicies: [QuotedSTSPolicy] = [], sessions: [SenderSessions] = []) {
        self.failures = failures
        self.stsPolicies = stsPolicies
        self.sessions = sessions
    }

    /// The read model of the store's rows: policy texts decoded and parsed once each, in this type's order.
    package init(_ rows: EvidenceRows) {
        var parsed = ParsedPolicies()
        failures = rows.failures.sorted(by: Self.keyOrder).map { row in
            let lines = parsed.lines(row.policyText)
            var group = FailureGroup(
                sender: row.sender, domain: row.domain, policyType: row.policyType,
                stsPolicy: row.policyType == "sts" && !lines.isEmpty ? parsed.policy(row.policyText!) : nil,
                resultType: ResultType(canonicalising: row.resultType), resultTypeRaw: row.resultTypeRaw, mxHost: row.mxHost,
                receivingIPs: row.receivingIPs, reasonCode: row.reasonCode, additionalInformation: row.additionalInformation,
                failed: row.failed, countedFailed: row.countedFailed, reports: row.reports, firstSeen: Self.date(row.firstStart),
                lastSeen: Self.date(row.lastEnd), firstSeenEver: Self.date(row.firstStartEver))
            group.omittedReceivingIPs = row.omittedReceivingIPs
            return group
        }
        stsPolicies = rows.stsPolicies.sorted { a, b in
            if a.lastStart != b.lastStart { return a.lastStart > b.lastStart }
            if a.reports != b.reports { return a.reports > b.reports }
            let domain = Self.compare(a.domain, b.domain)
            return domain != 0 ? domain < 0 : String.utf8Order(a.policyText, b.policyText) < 0
        }.map { row in
            QuotedSTSPolicy(
                domain: row.domain, policy: parsed.policy(row.policyText), lines: parsed.lines(row.policyText), reports: row.reports,
                lastSeen: Self.date(row.lastStart))
        }
        sessions = rows.sessions.sorted { a, b in
            let sender = String.utf8Order(a.sender, b.sender)
            return sender != 0 ? sender < 0 : Self.compare(a.domain, b.domain) < 0
        }.map { SenderSessions(sender: $0.sender, domain: $0.domain, successful: $0.successful, failed: $0.failed) }
    }

    /// The order of failure groups (see the type's comment).
    static func keyOrder(_ a: EvidenceRows.Failure, _ b: EvidenceRows.Failure) -> Bool {
        var order = String.utf8Order(a.sender, b.sender)
        if order == 0 { order = compare(a.domain, b.domain) }
        if order == 0 { order = String.utf8Order(a.policyType, b.policyType) }
        if order == 0 { order = compare(a.policyText, b.policyText) }
        if order == 0 { order = String.utf8Order(a.resultType, b.resultType) }
        if order == 0 { order = compare(a.mxHost, b.mxHost) }
        if order == 0 { order = compare(a.reasonCode, b.reasonCode) }
        if order == 0 { order = compare(a.additionalInformation, b.additionalInformation) }
        return order < 0
    }

    /// Byte order with "none" first.
    static func compare(_ a: String?, _ b: String?) -> Int {
        switch (a, b) {
        case (nil, nil): 0
        case (nil, _): -1
        case (_, nil): 1
        case (let a?, let b?): String.utf8Order(a, b)
        }
    }

    static func date(_ seconds: Int64) -> Date {
        Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// Failure details that share everything a diagnosis distinguishes, with when and how often.
    package struct FailureGroup: Sendable, Equatable {
        package var sender: String
        package var domain: String?
        /// `sts`, `tlsa`, `no-policy-found` or an unknown type as sent.
        package var policyType: String
        /// For `sts` policies: the policy as the sender quoted it, parsed.
        package var stsPolicy: STSPolicy?
        package var resultType: ResultType
        /// Distinct raw spellings of the result type, when one differs from the canonical name.
        package var resultTypeRaw: [String]
        package var mxHost: String?
        /// Distinct receiving IPs, at most ``ReportStore/maxReceivingIPsPerGroup``.
        package var receivingIPs: [String]
        /// At most how many more distinct receiving IPs the reports named than `receivingIPs` lists (the store
        /// keeps a bounded number per group and day; an address left out on two days counts twice).
        package var omittedReceivingIPs: Int64 = 0
        package var reasonCode: String?
        package var additionalInformation: String?
        package var failed: Int64
        /// The part of `failed` reported under policy entries that count for the sessions: where a report
        /// gives the same sessions under two policy types (Microsoft's sts and tlsa), only the copy that
        /// counts in the totals (see `CountingRule`).
        package var countedFailed: Int64
        package var reports: Int64
        /// Start of the earliest report in the period holding such failures, and end of the latest.
        package var firstSeen: Date
        package var lastSeen: Date
        /// Start of the earliest report holding such failures in the whole store, before the period too:
        /// how long a problem has lasted.
        package var firstSeenEver: Date

        package init(
            sender: String, domain: String?, policyType: String, stsPolicy: STSPolicy? = nil, resultType: ResultType,
            resultTypeRaw: [String] = [], mxHost: String?, receivingIPs: [String] = [],
            reasonCode: String? = nil, additionalInformation: String? = nil, failed: Int64, countedFailed: Int64? = nil, reports: Int64 = 1,
            firstSeen: Date, lastSeen: Date, firstSeenEver: Date? = nil
        ) {
            self.sender = sender
            self.domain = domain
            self.policyType = policyType
            self.stsPolicy = stsPolicy
            self.resultType = resultType
            self.resultTypeRaw = resultTypeRaw
            self.mxHost = mxHost
            self.receivingIPs = receivingIPs
            self.reasonCode = reasonCode
            self.additionalInformation = additionalInformation
            self.failed = failed
            self.countedFailed = countedFailed ?? failed
            self.reports = reports
            self.firstSeen = firstSeen
            self.lastSeen = lastSeen
            self.firstSeenEver = firstSeenEver ?? firstSeen
        }
    }

    /// One MTA-STS policy text as senders quoted it for a domain.
    package struct QuotedSTSPolicy: Sendable, Equatable {
        package var domain: String?
        package var policy: STSPolicy
        /// The `policy-string` lines as sent.
        package var lines: [String]
        package var reports: Int64
        package var lastSeen: Date

        package init(domain: String?, policy: STSPolicy, lines: [String], reports: Int64, lastSeen: Date) {
            self.domain = domain
            self.policy = policy
            self.lines = lines
            self.reports = reports
            self.lastSeen = lastSeen
        }
    }

    /// Counted sessions of one sender for one policy domain.
    package struct SenderSessions: Sendable, Equatable {
        package var sender: String
        package var domain: String?
        package var successful: Int64
        package var failed: Int64

        package init(sender: String, domain: String?, successful: Int64, failed: Int64) {
            self.sender = sender
            self.domain = domain
            self.successful = successful
            self.failed = failed
        }
    }

    /// Each distinct policy text decoded and parsed once, however many groups quote it. Keyed by the
    /// text's bytes: Swift's `String` equality would merge texts SQLite keeps apart (canonically equivalent
    /// spellings).
    private struct ParsedPolicies {
        var cache: [[UInt8]: (lines: [String], policy: STSPolicy)] = [:]

        mutating func lines(_ text: String?) -> [String] {
            guard let text else { return [] }
            return entry(text).lines
        }

        mutating func policy(_ text: String) -> STSPolicy { entry(text).policy }

        private mutating func entry(_ text: String) -> (lines: [String], policy: STSPolicy) {
            let key = Array(text.utf8)
            if let cached = cache[key] { return cached }
            let lines = ReportStore.decodePolicyStrings(text)
            let entry = (lines, STSPolicy.parse(lines))
            cache[key] = entry
            return entry
        }
    }
}
