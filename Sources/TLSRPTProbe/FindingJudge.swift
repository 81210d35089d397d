package import TLSRPTAnalysis
import TLSRPTCore

/// Ties the stored findings of a domain to the probe's checks: for each, the check that decides whether its
/// cause is still present.
///
/// Decisions:
/// - A finding about an MX host (the name the reports give, which may be a CNAME target) is decided on the
///   MX records whose name or CNAME chain contains that host. When no MX of the domain leads to that host
///   any more, the cause is `gone`: senders no longer connect there (the seed story's fix: the MX stops
///   being an alias of the hoster's name).
/// - `mx-not-in-policy` is decided by the policy as fetched now (``STSPolicy/covers(mxHost:)``), not by the
///   policy the reports quoted.
/// - Other rules are decided by the checks named in ``checkNames(rule:)`` for the hosts concerned: any
///   failing means `present`, all passing means `gone`, none run means `unchecked`.
package enum FindingJudge {
    package static func judge(_ findings: [Finding], facts: DomainFacts, checks: [ProbeCheck]) -> [FindingStatus] {
        findings.map { judge($0, facts: facts, checks: checks) }
    }

    static func judge(_ finding: Finding, facts: DomainFacts, checks: [ProbeCheck]) -> FindingStatus {
        let names = checkNames(rule: finding.rule)
        guard !names.isEmpty else {
            return FindingStatus(finding: finding, status: .unchecked, check: "none", detail: "no live check decides a \(finding.rule) finding")
        }
        let policyHost = "mta-sts.\(facts.domain)"
        if names.allSatisfy({ $0.hasPrefix("policy-") }) && finding.rule != "mx-not-in-policy" {
            return decide(finding, names: names, hosts: nil, checks: checks, policyHost: policyHost)
        }
        guard case .answer(let records) = facts.mx else {
            return FindingStatus(finding: finding, status: .unchecked, check: ProbeCheck.Name.mx.rawValue, detail: "the MX records could not be read")
        }
        // The MX records each named host leads from; every MX when the reports name none.
        var recordsByHost: [(host: String, records: [MXFacts])] = []
        for host in finding.hosts {
            let leading = records.filter { $0.namesSendersCheck.contains(HostName.normalise(host)) }
            if leading.isEmpty {
                return FindingStatus(
                    finding: finding, status: .gone, check: ProbeCheck.Name.mx.rawValue,
                    detail: "\(host) is no longer an MX host of \(facts.domain) nor the target of one; senders no longer connect there")
            }
            recordsByHost.append((host, leading))
        }
        if finding.hosts.isEmpty { recordsByHost = records.map { ($0.name, [$0]) } }
        if finding.rule == "mx-not-in-policy" {
            return policyCovers(finding, recordsByHost: recordsByHost, facts: facts, checks: checks)
        }
        let mxNames = Set(recordsByHost.flatMap { $0.records.map(\.name) })
        return decide(finding, names: names, hosts: mxNames, checks: checks, policyHost: policyHost)
    }

    /// The checks that decide a finding of `rule`, by ``ProbeCheck/name``.
    package static func checkNames(rule: String) -> [String] {
        let names: [ProbeCheck.Name] =
            switch rule {
            case "mx-not-in-policy": [.policyMX]
            case "certificate-name-missing": [.certificateNames]
            case "certificate-expired": [.certificateExpiry]
            case "certificate-not-trusted": [.certificateTrusted]
            case "starttls-not-supported": [.starttls]
            case "validation-failure": [.tlsHandshake, .certificateTrusted, .certificateExpiry, .certificateNames]
            case "tlsa-invalid": [.tlsa]
            case "dnssec-invalid": [.tlsaDNSSEC]
            case "dane-required": [.tlsa, .tlsaDNSSEC]
            case "sts-policy-fetch-error", "sts-webpki-invalid": [.policyFetch]
            case "sts-policy-invalid": [.policyFetch, .policySyntax, .policyMX]
            default: []
            }
        return names.map(\.rawValue)
    }

    /// Present when a deciding check fails on one of `hosts` (nil: any host), gone when they all pass.
    static func decide(_ finding: Finding, names: [String], hosts: Set<String>?, checks: [ProbeCheck], policyHost: String) -> FindingStatus {
        let deciding = checks.filter { names.contains($0.name) && (hosts == nil || hosts!.contains($0.host) || $0.host == policyHost) }
        if let failing = deciding.first(where: { !$0.ok }) {
            return FindingStatus(finding: finding, status: .present, check: failing.name, detail: failing.detail)
        }
        guard let passing = deciding.first else {
            let unreachable = checks.first { $0.name == ProbeCheck.Name.smtpConnect.rawValue && !$0.ok && (hosts?.contains($0.host) ?? true) }
            return FindingStatus(
                finding: finding, status: .unchecked, check: unreachable?.name ?? "none",
                detail: unreachable.map { "could not check: \($0.detail)" } ?? "the probe ran no \(names.joined(separator: " or ")) check")
        }
        return FindingStatus(finding: finding, status: .gone, check: passing.name, detail: passing.detail)
    }

    /// `mx-not-in-policy`: present while the policy fetched now leaves one of the named hosts out.
    static func policyCovers(
        _ finding: Finding, recordsByHost: [(host: String, records: [MXFacts])], facts: DomainFacts, checks: [ProbeCheck]
    )
        -> FindingStatus
    {
        let check = ProbeCheck.Name.policyMX.rawValue
        guard case .response(let response) = facts.policy, response.status == 200, let body = response.body else {
            let fetch = checks.first { $0.name == ProbeCheck.Name.policyFetch.rawValue }
            return FindingStatus(
                finding: finding, status: .unchecked, check: ProbeCheck.Name.policyFetch.rawValue,
                detail: "the policy could not be fetched to compare: \(fetch?.detail ?? "no fetch")")
        }
        let policy = STSPolicy.parse([body])
        for (host, records) in recordsByHost where !policy.covers(mxHost: host) {
            let mx = records[0]
            let failing = checks.first { $0.name == check && $0.host == mx.name && !$0.ok }
            let detail = failing?.detail ?? "the policy does not list \(host) (mx: \(policy.mx.joined(separator: ", ")))"
            return FindingStatus(finding: finding, status: .present, check: check, detail: detail)
        }
        let hosts = recordsByHost.map(\.host).joined(separator: ", ")
        return FindingStatus(
            finding: finding, status: .gone, check: check, detail: "the policy now lists \(hosts) (mx: \(policy.mx.joined(separator: ", ")))")
    }
}
