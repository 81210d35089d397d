import Foundation
import TLSRPTCore

/// Diagnosis evidence added up from several sources (the rollups of the whole days in a period, the raw
/// rows of its edge days), merged by key so that the result is what one GROUP BY over all the raw rows
/// gives: counts and sessions summed (a report lies in exactly one day, so no report is counted by two
/// sources), first and last seen as the minimum and maximum, and value lists as the union of distinct sets.
///
/// Rows come out in the order SQLite's GROUP BY gave them (by key, NULL first, bytewise), so that rules
/// which take the first of several groups see the same one as before the rollups.
package struct EvidenceTally {
    package init() {}

    package struct GroupKey: Hashable {
        var sender: ExactText
        var domain: ExactText?
        var policyType: ExactText
        /// `policy_strings` as stored: a canonical JSON array.
        var policyText: ExactText?
        var resultType: ExactText
        var mxHost: ExactText?
        var reasonCode: ExactText?
        var additionalInformation: ExactText?
        /// The hash of the fields, computed once: a key is hashed again each time the table grows, and its
        /// policy text alone is a few hundred bytes.
        private var hash = 0

        package init(
            sender: String, domain: String?, policyType: String, policyText: String?, resultType: String, mxHost: String?,
            reasonCode: String?, additionalInformation: String?
        ) {
            self.sender = ExactText(sender)
            self.domain = domain.map(ExactText.init)
            self.policyType = ExactText(policyType)
            self.policyText = policyText.map(ExactText.init)
            self.resultType = ExactText(resultType)
            self.mxHost = mxHost.map(ExactText.init)
            self.reasonCode = reasonCode.map(ExactText.init)
            self.additionalInformation = additionalInformation.map(ExactText.init)
            var hasher = Hasher()
            hasher.combine(self.sender)
            hasher.combine(self.domain)
            hasher.combine(self.policyType)
            hasher.combine(self.policyText)
            hasher.combine(self.resultType)
            hasher.combine(self.mxHost)
            hasher.combine(self.reasonCode)
            hasher.combine(self.additionalInformation)
            hash = hasher.finalize()
        }

        package func hash(into hasher: inout Hasher) {
            hasher.combine(hash)
        }

        package static func == (a: GroupKey, b: GroupKey) -> Bool {
            a.hash == b.hash && a.sender == b.sender && a.domain == b.domain && a.policyType == b.policyType
                && a.policyText == b.policyText && a.resultType == b.resultType && a.mxHost == b.mxHost && a.reasonCode == b.reasonCode
                && a.additionalInformation == b.additionalInformation
        }

        /// The GROUP BY order of the raw query: sender, domain, policy type, policy text, result type, host,
        /// reason code, additional information.
        static func sqliteOrder(_ a: GroupKey, _ b: GroupKey) -> Bool {
            var order = ExactText.compare(a.sender, b.sender)
            if order == 0 { order = ExactText?.compare(a.domain, b.domain) }
            if order == 0 { order = ExactText.compare(a.policyType, b.policyType) }
            if order == 0 { order = ExactText?.compare(a.policyText, b.policyText) }
            if order == 0 { order = ExactText.compare(a.resultType, b.resultType) }
            if order == 0 { order = ExactText?.compare(a.mxHost, b.mxHost) }
            if order == 0 { order = ExactText?.compare(a.reasonCode, b.reasonCode) }
            if order == 0 { order = ExactText?.compare(a.additionalInformation, b.additionalInformation) }
            return order < 0
        }
    }

    struct GroupTotals {
        var failed: Int64 = 0
        var countedFailed: Int64 = 0
        var reports: Int64 = 0
        var firstStart: Int64 = .max
        var lastEnd: Int64 = .min
        /// The start of the group's earliest report in the whole store, when looked up beyond the period.
        var firstStartEver: Int64 = .max
        var receivingIPs: Set<ExactText> = []
        var omittedReceivingIPs: Int64 = 0
        var resultTypeRaw: Set<ExactText> = []
    }

    struct PolicyKey: Hashable {
        var domain: ExactText?
        var text: ExactText
    }

    struct SessionKey: Hashable {
        var sender: ExactText
        var domain: ExactText?
    }

    /// Groups by position, so that the values of a rollup row find their group without hashing its key again.
    private var keys: [GroupKey] = []
    private var totals: [GroupTotals] = []
    private var position: [GroupKey: Int] = [:]
    private var policies: [PolicyKey: (reports: Int64, lastStart: Int64)] = [:]
    private var sessions: [SessionKey: (successful: Int64, failed: Int64)] = [:]

    /// Adds to a group (creating it), and says where it is for ``addValue(group:receivingIP:resultTypeRaw:)``.
    @discardableResult
    package mutating func addGroup(
        _ key: GroupKey, failed: Int64, countedFailed: Int64, reports: Int64, firstStart: Int64, lastEnd: Int64,
        omittedReceivingIPs: Int64 = 0
    ) -> Int {
        let group = self.group(key)
        totals[group].omittedReceivingIPs.addCount(omittedReceivingIPs)
        totals[group].failed.addCount(failed)
        totals[group].countedFailed.addCount(countedFailed)
        totals[group].reports.addCount(reports)
        totals[group].firstStart = min(totals[group].firstStart, firstStart)
        totals[group].lastEnd = max(totals[group].lastEnd, lastEnd)
        return group
    }

    /// Notes the start of a report of the group outside the period (nothing when the period has no such group).
    package mutating func addEarlierStart(_ key: GroupKey, firstStart: Int64) {
        guard let group = position[key] else { return }
        totals[group].firstStartEver = min(totals[group].firstStartEver, firstStart)
    }

    /// Adds a receiving IP or raw result-type spelling to a group.
    package mutating func addValue(group: Int, receivingIP: String? = nil, resultTypeRaw: String? = nil) {
        if let receivingIP { totals[group].receivingIPs.insert(ExactText(receivingIP)) }
        if let resultTypeRaw { totals[group].resultTypeRaw.insert(ExactText(resultTypeRaw)) }
    }

    package mutating func addValue(_ key: GroupKey, receivingIP: String? = nil, resultTypeRaw: String? = nil) {
        addValue(group: group(key), receivingIP: receivingIP, resultTypeRaw: resultTypeRaw)
    }

    package mutating func addPolicy(domain: String?, text: String, reports: Int64, lastStart: Int64) {
        let key = PolicyKey(domain: domain.map(ExactText.init), text: ExactText(text))
        let current = policies[key] ?? (0, .min)
        policies[key] = (CountSum.add(current.reports, reports), max(current.lastStart, lastStart))
    }

    package mutating func addSessions(sender: String, domain: String?, successful: Int64, failed: Int64) {
        let key = SessionKey(sender: ExactText(sender), domain: domain.map(ExactText.init))
        let current = sessions[key] ?? (0, 0)
        sessions[key] = (CountSum.add(current.successful, successful), CountSum.add(current.failed, failed))
    }

    private mutating func group(_ key: GroupKey) -> Int {
        if let existing = position[key] { return existing }
        keys.append(key)
        totals.append(GroupTotals())
        position[key] = keys.count - 1
        return keys.count - 1
    }

    /// The rows, in the order of the raw queries' GROUP BY (the analysis puts them in its own order).
    package func rows() -> EvidenceRows {
        var rows = EvidenceRows()
        rows.failures = keys.indices.sorted { GroupKey.sqliteOrder(keys[$0], keys[$1]) }.map { group in
            let key = keys[group]
            let totals = totals[group]
            let receivingIPs = Self.list(totals.receivingIPs)
            let listed = Array(receivingIPs.prefix(ReportStore.maxReceivingIPsPerGroup))
            return EvidenceRows.Failure(
                sender: key.sender.text, domain: key.domain?.text, policyType: key.policyType.text, policyText: key.policyText?.text,
                resultType: key.resultType.text, resultTypeRaw: Self.list(totals.resultTypeRaw), mxHost: key.mxHost?.text,
                receivingIPs: listed,
                // The raw rows of an edge day hold every address: list as many as the rollups would.
                omittedReceivingIPs: CountSum.add(totals.omittedReceivingIPs, Int64(receivingIPs.count - listed.count)),
                reasonCode: key.reasonCode?.text, additionalInformation: key.additionalInformation?.text, failed: totals.failed,
                countedFailed: totals.countedFailed, reports: totals.reports, firstStart: totals.firstStart, lastEnd: totals.lastEnd,
                firstStartEver: min(totals.firstStart, totals.firstStartEver))
        }
        rows.stsPolicies = policies.map { key, totals in
            EvidenceRows.QuotedPolicy(domain: key.domain?.text, policyText: key.text.text, reports: totals.reports, lastStart: totals.lastStart)
        }
        rows.sessions = sessions.map { key, totals in
            EvidenceRows.Sessions(sender: key.sender.text, domain: key.domain?.text, successful: totals.successful, failed: totals.failed)
        }
        return rows
    }

    /// The list the raw query's `GROUP_CONCAT(DISTINCT …)` gave for these distinct values.
    private static func list(_ values: Set<ExactText>) -> [String] {
        values.isEmpty ? [] : ReportStore.list(values.map(\.text).joined(separator: ","))
    }
}
