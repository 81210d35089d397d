/// One live check of a probe: what was checked, on which host, whether it passed, and what was seen.
///
/// `name`, `host`, `ok` and `detail` are the JSON contract (`checks` of `probe --format json`); `fix` is the
/// change to make when the check fails, in the words of the result-type catalogue.
package struct ProbeCheck: Sendable, Equatable {
    /// A stable identifier, e.g. `policy-mx` (see ``ProbeCheck/Name``).
    package var name: String
    /// The host the check concerns: an MX name, `mta-sts.DOMAIN`, or a DNS owner name.
    package var host: String
    package var ok: Bool
    /// What was seen, one sentence a postmaster can act on.
    package var detail: String
    /// What to change, when the check failed.
    package var fix: String?

    package init(_ name: Name, host: String, ok: Bool, detail: String, fix: String? = nil) {
        self.name = name.rawValue
        self.host = host
        self.ok = ok
        self.detail = detail
        self.fix = ok ? nil : fix
    }

    /// The checks a probe makes, in the order it reports them.
    package enum Name: String, Sendable, CaseIterable {
        case mx = "mx"
        case mxAlias = "mx-alias"
        case mxAddress = "mx-address"
        case stsRecord = "mta-sts-record"
        case tlsrptRecord = "tlsrpt-record"
        case policyFetch = "policy-fetch"
        case policySyntax = "policy-syntax"
        case policyMX = "policy-mx"
        case smtpConnect = "smtp-connect"
        case starttls = "starttls"
        case tlsHandshake = "tls-handshake"
        case certificateTrusted = "certificate-trusted"
        case certificateExpiry = "certificate-expiry"
        case certificateNames = "certificate-names"
        case tlsa = "tlsa"
        case tlsaDNSSEC = "tlsa-dnssec"
    }
}
