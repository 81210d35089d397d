package import TLSRPTCore

/// One MX record and what its name leads to.
package struct MXFacts: Sendable, Equatable {
    /// The name as published in the MX record (lower-case, no trailing dot).
    package var name: String
    package var preference: Int
    /// The CNAME targets, in order, when the MX name is an alias (an MX must not be one: RFC 2181 §10.3).
    package var cnameChain: [String]
    /// IPv4 and IPv6 addresses of the last name of the chain.
    package var addresses: [String]
    /// TLSA records at `_25._tcp.<name>` (or of the CNAME target, per RFC 7672 §2.2.2), empty when none.
    package var tlsa: [TLSARecord]
    /// Whether the resolver set the AD bit on the TLSA answer (DNSSEC-validated).
    package var tlsaAuthenticated: Bool

    package init(
        name: String, preference: Int, cnameChain: [String] = [], addresses: [String], tlsa: [TLSARecord] = [], tlsaAuthenticated: Bool = false
    ) {
        self.name = name
        self.preference = preference
        self.cnameChain = cnameChain
        self.addresses = addresses
        self.tlsa = tlsa
        self.tlsaAuthenticated = tlsaAuthenticated
    }

    /// The host a connection reaches: the last CNAME target, or the MX name itself.
    package var target: String { cnameChain.last ?? name }

    /// Every name a sender may check the policy and the certificate against: the MX name (RFC 8461 §4.1)
    /// and, because some senders (Microsoft) check the CNAME target instead, each name of the chain.
    package var namesSendersCheck: [String] { [name] + cnameChain }
}
