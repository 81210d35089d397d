package import Foundation
import TLSRPTCore

/// Judges the facts gathered about a domain: one ``ProbeCheck`` per thing a sender checks, pure.
///
/// Decisions:
/// - A sender checks the MX name as published (RFC 8461 §4.1), but some (Microsoft) check the CNAME target
///   the name leads to. An MX that is an alias therefore fails `mx-alias`, and `policy-mx` and
///   `certificate-names` require every name of the chain to be covered: each one is a name some sender
///   checks.
/// - The policy is parsed with ``STSPolicy``, the parser that reads the reports' `policy-string`s.
/// - A certificate counts as expiring soon below ``expiryWarningDays`` days: the check still passes (mail
///   flows), its detail says how many days are left.
package struct ProbeEvaluator: Sendable {
    package var now: Date
    /// A certificate with fewer days left than this is named in the detail.
    package static let expiryWarningDays = 14

    package init(now: Date = Date()) {
        self.now = now
    }

    package func checks(_ facts: DomainFacts) -> [ProbeCheck] {
        let domain = facts.domain
        var checks: [ProbeCheck] = []
        var mxRecords: [MXFacts] = []
        switch facts.mx {
        case .failed(let reason):
            checks.append(ProbeCheck(.mx, host: domain, ok: false, detail: "MX lookup failed: \(reason)", fix: "Publish MX records for \(domain)."))
        case .answer(let records) where records.isEmpty:
            checks.append(ProbeCheck(.mx, host: domain, ok: false, detail: "\(domain) has no MX records", fix: "Publish MX records for \(domain)."))
        case .answer(let records):
            mxRecords = records
            let list = records.map { "\($0.preference) \($0.name)" }.joined(separator: ", ")
            checks.append(ProbeCheck(.mx, host: domain, ok: true, detail: "MX \(list)"))
        }
        for record in mxRecords {
            checks.append(aliasCheck(record, domain: domain))
            checks.append(
                record.addresses.isEmpty
                    ? ProbeCheck(
                        .mxAddress, host: record.name, ok: false, detail: "\(record.target) has no A or AAAA record",
                        fix: "Give \(record.target) an address, or remove the MX record that names it.")
                    : ProbeCheck(.mxAddress, host: record.name, ok: true, detail: "\(record.target) has \(record.addresses.joined(separator: ", "))"))
        }
        checks.append(stsRecordCheck(facts))
        checks.append(tlsrptRecordCheck(facts))
        let policy = policyChecks(facts.policy, domain: domain, mx: mxRecords)
        checks += policy
        for connection in facts.connections {
            let record = mxRecords.first { $0.name == connection.mxName }
            checks += connectionChecks(connection, record: record, domain: domain)
        }
        return checks
    }

    /// Failures first, then in the order checked.
    package static func ordered(_ checks: [ProbeCheck]) -> [ProbeCheck] {
        checks.filter { !$0.ok } + checks.filter(\.ok)
    }

    // MARK: DNS

    func aliasCheck(_ record: MXFacts, domain: String) -> ProbeCheck {
        guard !record.cnameChain.isEmpty else {
            return ProbeCheck(.mxAlias, host: record.name, ok: true, detail: "\(record.name) is a host name, not an alias")
        }
        let chain = ([record.name] + record.cnameChain).joined(separator: " → ")
        return ProbeCheck(
            .mxAlias, host: record.name, ok: false,
            detail: "\(record.name) is an alias of \(record.target) (\(chain)); some senders check \(record.target), others \(record.name)",
            fix: "Point the MX record of \(domain) at \(record.target) itself (an MX must not be a CNAME, RFC 2181 §10.3), "
                + "or make the policy's mx: lines and the certificate cover both names.")
    }

    func stsRecordCheck(_ facts: DomainFacts) -> ProbeCheck {
        let owner = "_mta-sts.\(facts.domain)"
        let fix = "Publish exactly one TXT record `v=STSv1; id=YYYYMMDDnn` at \(owner), and change its id whenever the policy changes."
        switch facts.stsRecords {
        case .failed(let reason): return ProbeCheck(.stsRecord, host: owner, ok: false, detail: "lookup failed: \(reason)", fix: fix)
        case .answer(let records):
            let verdict = TXTRecordCheck.sts(records)
            return ProbeCheck(.stsRecord, host: owner, ok: verdict.ok, detail: verdict.detail, fix: fix)
        }
    }

    func tlsrptRecordCheck(_ facts: DomainFacts) -> ProbeCheck {
        let owner = "_smtp._tls.\(facts.domain)"
        let fix = "Publish exactly one TXT record `v=TLSRPTv1; rua=mailto:tlsrpt@\(facts.domain)` at \(owner); separate several URIs with commas."
        switch facts.tlsrptRecords {
        case .failed(let reason): return ProbeCheck(.tlsrptRecord, host: owner, ok: false, detail: "lookup failed: \(reason)", fix: fix)
        case .answer(let records):
            let verdict = TXTRecordCheck.tlsrpt(records)
            return ProbeCheck(.tlsrptRecord, host: owner, ok: verdict.ok, detail: verdict.detail, fix: fix)
        }
    }

    // MARK: The policy

    /// The largest policy body a sender should accept (RFC 8461 §3.3 suggests 64 KiB).
    package static let policySizeCap = 64 * 1024

    func policyChecks(_ fetch: PolicyFetch, domain: String, mx: [MXFacts]) -> [ProbeCheck] {
        let host = "mta-sts.\(domain)"
        let url = "https://\(host)/.well-known/mta-sts.txt"
        let fetchFix = CatalogueFix.text(.stsPolicyFetchError, 0, host: host, domain: domain)
        let response: PolicyResponse
        switch fetch {
        case .failed(let failure):
            let fix = failure.kind == .certificate ? CatalogueFix.text(.stsWebpkiInvalid, 1, host: host, domain: domain) : fetchFix
            return [ProbeCheck(.policyFetch, host: host, ok: false, detail: "\(url): \(failure.message)", fix: fix)]
        case .response(let answer):
            response = answer
        }
        if (300..<400).contains(response.status) {
            let target = response.location.map { " to \($0)" } ?? ""
            return [
                ProbeCheck(
                    .policyFetch, host: host, ok: false,
                    detail: "\(url) answers \(response.status), a redirect\(target); senders do not follow redirects (RFC 8461 §3.3)",
                    fix: "Serve the policy at \(url) itself, with status 200.")
            ]
        }
        guard response.status == 200 else {
            return [ProbeCheck(.policyFetch, host: host, ok: false, detail: "\(url) answers HTTP \(response.status), not 200", fix: fetchFix)]
        }
        let mediaType = response.contentType?.split(separator: ";").first.map { String($0).trimmingSpaces.lowercased() }
        guard mediaType == "text/plain" else {
            return [
                ProbeCheck(
                    .policyFetch, host: host, ok: false,
                    detail: "\(url) is served as \(response.contentType ?? "no Content-Type"), not text/plain (RFC 8461 §3.2)",
                    fix: CatalogueFix.text(.stsPolicyInvalid, 2, host: host, domain: domain))
            ]
        }
        guard let body = response.body else {
            return [
                ProbeCheck(
                    .policyFetch, host: host, ok: false, detail: "\(url) is larger than \(Self.policySizeCap) bytes",
                    fix: "Keep the policy file small: a few lines.")
            ]
        }
        var checks = [ProbeCheck(.policyFetch, host: host, ok: true, detail: "\(url): 200, text/plain, \(body.utf8.count) bytes")]
        let policy = STSPolicy.parse([body])
        let syntaxFix = CatalogueFix.text(.stsPolicyInvalid, 0, host: host, domain: domain)
        if policy.isValid {
            var detail = "version \(policy.version ?? "?"), mode \(policy.modeText ?? "?"), max_age \(policy.maxAge.map(String.init) ?? "?")"
            if let maxAge = policy.maxAge, maxAge < 86_400 { detail += " (under a day: senders refetch often; RFC 8461 suggests weeks)" }
            checks.append(ProbeCheck(.policySyntax, host: host, ok: true, detail: detail))
        } else {
            checks.append(ProbeCheck(.policySyntax, host: host, ok: false, detail: policy.problems.joined(separator: "; "), fix: syntaxFix))
        }
        guard policy.mode != STSMode.none else { return checks }
        let patterns = policy.mx.joined(separator: ", ")
        for record in mx {
            checks.append(policyMXCheck(record, policy: policy, patterns: patterns, domain: domain))
        }
        return checks
    }

    func policyMXCheck(_ record: MXFacts, policy: STSPolicy, patterns: String, domain: String) -> ProbeCheck {
        let missing = record.namesSendersCheck.filter { !policy.covers(mxHost: $0) }
        let listed = patterns.isEmpty ? "no mx: lines" : "mx: \(patterns)"
        guard !missing.isEmpty else {
            let names = record.namesSendersCheck.joined(separator: " and ")
            return ProbeCheck(
                .policyMX, host: record.name, ok: true,
                detail: "the policy (\(listed)) covers \(names), the name\(record.cnameChain.isEmpty ? "" : "s") senders check")
        }
        var detail = ""
        if !record.cnameChain.isEmpty { detail = "\(record.name) is an alias of \(record.target); " }
        detail += "the policy does not list \(missing.joined(separator: ", ")) (\(listed))"
        return ProbeCheck(
            .policyMX, host: record.name, ok: false, detail: detail,
            fix: record.cnameChain.isEmpty
                ? "Add the line `mx: \(missing[0])` to https://mta-sts.\(domain)/.well-known/mta-sts.txt and change the id in the _mta-sts.\(domain) TXT record."
                : "Point the MX records of \(domain) at the real host names (an MX must not be a CNAME), and list exactly those names in the policy.")
    }

    // MARK: SMTP and certificates

    func connectionChecks(_ connection: ConnectionFacts, record: MXFacts?, domain: String) -> [ProbeCheck] {
        let host = connection.mxName
        let at = "\(host) (\(connection.address))"
        switch connection.outcome {
        case .unreachable(let reason):
            return [
                ProbeCheck(
                    .smtpConnect, host: host, ok: false, detail: "\(at): \(reason)",
                    fix: "Make sure \(host) accepts connections on port 25 from the Internet.")
            ]
        case .noSTARTTLS:
            return [
                ProbeCheck(
                    .starttls, host: host, ok: false, detail: "\(at) does not offer STARTTLS in its EHLO answer",
                    fix: CatalogueFix.text(.starttlsNotSupported, 1, host: host, domain: domain))
            ]
        case .handshakeFailed(let reason):
            return [
                ProbeCheck(.starttls, host: host, ok: true, detail: "\(at) offers STARTTLS"),
                ProbeCheck(
                    .tlsHandshake, host: host, ok: false, detail: "\(at): TLS handshake failed: \(reason)",
                    fix: CatalogueFix.text(.validationFailure, 2, host: host, domain: domain)),
            ]
        case .certificate(let certificate):
            var checks = [
                ProbeCheck(.starttls, host: host, ok: true, detail: "\(at) offers STARTTLS"),
                ProbeCheck(.tlsHandshake, host: host, ok: true, detail: "\(at): TLS handshake completed"),
            ]
            checks.append(
                certificate.trusted
                    ? ProbeCheck(.certificateTrusted, host: host, ok: true, detail: "\(at): the chain leads to a trusted root")
                    : ProbeCheck(
                        .certificateTrusted, host: host, ok: false,
                        detail: "\(at): the chain is not trusted\(certificate.trustProblem.map { ": \($0)" } ?? "")",
                        fix: CatalogueFix.text(.certificateNotTrusted, 0, host: host, domain: domain)))
            checks.append(expiryCheck(certificate, at: at, host: host, domain: domain))
            checks.append(namesCheck(certificate, record: record, at: at, host: host, domain: domain))
            if let record, !record.tlsa.isEmpty {
                checks += tlsaChecks(certificate, record: record, at: at, domain: domain)
            }
            return checks
        }
    }

    func expiryCheck(_ certificate: CertificateFacts, at: String, host: String, domain: String) -> ProbeCheck {
        let seconds = certificate.notAfter.timeIntervalSince(now)
        let day = RFC3339Date.day(certificate.notAfter)
        if seconds <= 0 {
            let days = Int((-seconds / 86_400).rounded(.down))
            return ProbeCheck(
                .certificateExpiry, host: host, ok: false, detail: "\(at): the certificate expired on \(day), \(days) day\(days == 1 ? "" : "s") ago",
                fix: CatalogueFix.text(.certificateExpired, 1, host: host, domain: domain))
        }
        let days = Int((seconds / 86_400).rounded(.down))
        let soon = days < Self.expiryWarningDays ? " — renew it now" : ""
        return ProbeCheck(
            .certificateExpiry, host: host, ok: true, detail: "\(at): valid until \(day), \(days) day\(days == 1 ? "" : "s") left\(soon)")
    }

    func namesCheck(_ certificate: CertificateFacts, record: MXFacts?, at: String, host: String, domain: String) -> ProbeCheck {
        let names = record?.namesSendersCheck ?? [host]
        let missing = names.filter { name in !certificate.names.contains { CertificateName.matches(pattern: $0, host: name) } }
        let where_ = record.map { $0.cnameChain.isEmpty ? "" : " (on \($0.target))" } ?? ""
        let covered = certificate.names.isEmpty ? "no DNS names" : certificate.names.joined(separator: ", ")
        guard !missing.isEmpty else {
            return ProbeCheck(.certificateNames, host: host, ok: true, detail: "\(at): the certificate covers \(names.joined(separator: " and "))")
        }
        return ProbeCheck(
            .certificateNames, host: host, ok: false,
            detail: "the certificate there\(where_) does not cover \(missing.joined(separator: ", ")); it covers \(covered)",
            fix: CatalogueFix.text(.certificateHostMismatch, 0, host: host, domain: domain))
    }

    func tlsaChecks(_ certificate: CertificateFacts, record: MXFacts, at: String, domain: String) -> [ProbeCheck] {
        let host = record.name
        let owner = "_25._tcp.\(record.target)"
        let matched = record.tlsa.filter { tlsa in
            switch tlsa.usage {
            // DANE-EE and PKIX-EE: the server's own certificate.
            case 1, 3: certificate.associations.first?.matches(tlsa) ?? false
            // DANE-TA and PKIX-TA: a certificate of the chain.
            default: certificate.associations.contains { $0.matches(tlsa) }
            }
        }
        var checks = [
            matched.isEmpty
                ? ProbeCheck(
                    .tlsa, host: host, ok: false,
                    detail: "\(at): none of the \(record.tlsa.count) TLSA record(s) at \(owner) matches the certificate served",
                    fix: CatalogueFix.text(.tlsaInvalid, 0, host: record.target, domain: domain))
                : ProbeCheck(.tlsa, host: host, ok: true, detail: "\(at): TLSA \(matched[0]) at \(owner) matches the certificate served")
        ]
        checks.append(
            record.tlsaAuthenticated
                ? ProbeCheck(.tlsaDNSSEC, host: host, ok: true, detail: "the resolver vouched for \(owner) with DNSSEC (AD bit)")
                : ProbeCheck(
                    .tlsaDNSSEC, host: host, ok: false,
                    detail: "the resolver did not vouch for \(owner) with DNSSEC (no AD bit); DANE senders ignore unsigned TLSA records",
                    fix: CatalogueFix.text(.daneRequired, 0, host: record.target, domain: domain)))
        return checks
    }
}
