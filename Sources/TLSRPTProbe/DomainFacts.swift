/// What the network told the probe about one policy domain, before any judgement.
///
/// The gatherers (TLSRPTProbeNetwork) fill it in; ``ProbeEvaluator`` turns it into checks. Keeping the two
/// apart lets every scenario of the evaluator be tested with facts built by hand, without a network.
package struct DomainFacts: Sendable, Equatable {
    package var domain: String
    /// The MX records, or why they could not be read.
    package var mx: Lookup<[MXFacts]>
    /// The TXT strings at `_mta-sts.DOMAIN`, each record's strings joined (RFC 7208 §3.3 style).
    package var stsRecords: Lookup<[String]>
    /// The TXT strings at `_smtp._tls.DOMAIN`.
    package var tlsrptRecords: Lookup<[String]>
    /// `https://mta-sts.DOMAIN/.well-known/mta-sts.txt` as a sender fetches it.
    package var policy: PolicyFetch
    /// One entry per MX address the probe connected to.
    package var connections: [ConnectionFacts]

    package init(
        domain: String, mx: Lookup<[MXFacts]>, stsRecords: Lookup<[String]>, tlsrptRecords: Lookup<[String]>, policy: PolicyFetch,
        connections: [ConnectionFacts]
    ) {
        self.domain = domain
        self.mx = mx
        self.stsRecords = stsRecords
        self.tlsrptRecords = tlsrptRecords
        self.policy = policy
        self.connections = connections
    }
}

/// A DNS answer: records, none (NXDOMAIN or no data), or a failure that says nothing about the records.
package enum Lookup<Value: Sendable & Equatable>: Sendable, Equatable {
    case answer(Value)
    case failed(String)
}
