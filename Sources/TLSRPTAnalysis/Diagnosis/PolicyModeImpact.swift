package import TLSRPTCore

/// What a failure means for the mail, given the MTA-STS mode senders applied: the source of every
/// finding's severity and its "impact" sentence.
///
/// Under `mode: enforce`, a sender that honours MTA-STS refuses to deliver to an MX that fails the
/// checks: the mail waits in its queue and bounces when retries run out. Under `testing` the same
/// failure is only reported, and mail still flows. DANE has no testing mode: a failed TLSA check always
/// stops delivery for senders that use DANE. A policy that cannot be fetched or used leaves senders
/// on a copy cached earlier, or on no policy at all, so mail flows without the protection.
package enum PolicyModeImpact {
    /// Which part of the delivery path a finding blames.
    package enum Kind: Sendable {
        /// TLS with the MX itself, or the MX's place in the policy.
        case delivery
        /// DANE / DNSSEC.
        case dane
        /// Fetching or reading the MTA-STS policy.
        case policyRetrieval
        /// A result type outside the registry.
        case unknown
    }

    /// The impact of failures reported under `policyType` (`sts`, `tlsa`, `no-policy-found`; nil when unknown),
    /// with `mode` the MTA-STS mode in force for `sts`.
    ///
    /// Failures reported under a `tlsa` policy are DANE failures (RFC 7672 §2.2): a sender that uses DANE
    /// does not deliver to a host failing them, whatever the MTA-STS mode. Failures reported under
    /// `no-policy-found` had no policy behind them: mail flows, whatever another sender quoted.
    package static func assess(_ kind: Kind, policyType: String?, mode: STSMode?) -> (severity: Finding.Severity, impact: String) {
        switch (kind, policyType) {
        case (.delivery, "tlsa"?):
            (
                .critical,
                "The failures came under the DANE (TLSA) policy: senders that use DANE do not deliver to a host that fails it (RFC 7672); the mail is deferred, then bounced when their retries run out."
            )
        case (.delivery, "no-policy-found"?):
            (
                .warning,
                "Senders found no MTA-STS or DANE policy for these sessions: mail still flows, possibly without TLS or with an unverified certificate."
            )
        case (.delivery, "sts"?), (.policyRetrieval, _), (.dane, _), (.unknown, _):
            assess(kind, mode: mode)
        case (.delivery, _):
            assess(kind, mode: nil)
        }
    }

    package static func assess(_ kind: Kind, mode: STSMode?) -> (severity: Finding.Severity, impact: String) {
        switch (kind, mode) {
        case (.delivery, .enforce?):
            (
                .critical,
                "The policy is in mode enforce: senders that honour MTA-STS do not deliver this mail; it is deferred, then bounced when their retries run out."
            )
        case (.delivery, .testing?):
            (.warning, "The policy is in mode testing: mail still flows, but it would be refused once the mode is enforce.")
        case (.delivery, .none?):
            (.warning, "The policy is in mode none: mail still flows, and senders do not insist on verified TLS.")
        case (.delivery, nil):
            (.warning, "No usable MTA-STS policy applies: mail still flows, possibly without TLS or with an unverified certificate.")
        case (.dane, _):
            (.critical, "Senders that use DANE do not deliver to a host whose TLSA check fails: the mail is deferred, then bounced.")
        case (.policyRetrieval, .enforce?):
            (
                .warning,
                "Mail still flows: senders keep applying the enforce policy they cached earlier until its max_age runs out; senders without a cached copy deliver without MTA-STS protection."
            )
        case (.policyRetrieval, _):
            (.warning, "Mail still flows, but without MTA-STS protection: senders cannot apply your policy.")
        case (.unknown, _):
            (.notice, "The type is not registered, so whether mail was delivered depends on the sender.")
        }
    }
}
