package import Foundation
package import TLSRPTCore

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

/// How the policy fetch went.
package enum PolicyFetch: Sendable, Equatable {
    /// An HTTP answer arrived (any status: the evaluator judges it).
    case response(PolicyResponse)
    /// No HTTP answer: DNS, connection, TLS (certificate) or a timeout.
    case failed(PolicyFetchFailure)
}

/// An HTTP answer to the policy fetch.
package struct PolicyResponse: Sendable, Equatable {
    package var status: Int
    package var contentType: String?
    /// `Location`, for a redirect.
    package var location: String?
    /// The body as UTF-8 text, nil when it was larger than the cap.
    package var body: String?

    package init(status: Int, contentType: String?, location: String? = nil, body: String?) {
        self.status = status
        self.contentType = contentType
        self.location = location
        self.body = body
    }
}

/// Why the policy fetch got no HTTP answer.
package struct PolicyFetchFailure: Sendable, Equatable {
    package enum Kind: String, Sendable {
        /// `mta-sts.DOMAIN` has no address.
        case dns
        /// The TLS handshake failed: the certificate is not valid for `mta-sts.DOMAIN` or not trusted.
        case certificate
        /// Refused, reset, or no answer in time.
        case connection
    }

    package var kind: Kind
    package var message: String

    package init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }
}

/// One SMTP connection to one MX address.
package struct ConnectionFacts: Sendable, Equatable {
    /// The MX name as published.
    package var mxName: String
    package var address: String
    package var outcome: Outcome

    package enum Outcome: Sendable, Equatable {
        /// No SMTP greeting: refused, timed out, or not SMTP.
        case unreachable(String)
        /// The server's EHLO answer did not offer STARTTLS.
        case noSTARTTLS
        /// STARTTLS was offered, but the TLS handshake failed before a certificate was seen.
        case handshakeFailed(String)
        /// The handshake completed and the server presented this certificate.
        case certificate(CertificateFacts)
    }

    package init(mxName: String, address: String, outcome: Outcome) {
        self.mxName = mxName
        self.address = address
        self.outcome = outcome
    }
}

/// What the probe read from a presented certificate chain.
package struct CertificateFacts: Sendable, Equatable {
    /// The leaf's DNS names (subjectAltName, else the subject's CN), lower-case.
    package var names: [String]
    package var notAfter: Date
    /// Whether the chain leads to a trust anchor (system roots plus `--ca-file`), judged at a time the
    /// leaf was valid so that an expired certificate is not also called untrusted.
    package var trusted: Bool
    /// Why the chain is not trusted, when it is not.
    package var trustProblem: String?
    /// For TLSA: the association data of each certificate in the chain as presented, leaf first.
    package var associations: [TLSAAssociations]

    package init(names: [String], notAfter: Date, trusted: Bool, trustProblem: String? = nil, associations: [TLSAAssociations] = []) {
        self.names = names
        self.notAfter = notAfter
        self.trusted = trusted
        self.trustProblem = trustProblem
        self.associations = associations
    }
}

/// The six values a TLSA record can match (RFC 6698 §2.1.2, §2.1.3) for one certificate, in upper-case hex, as
/// ``TLSARecord/data`` keeps it.
package struct TLSAAssociations: Sendable, Equatable {
    /// Selector 0 (whole certificate), by matching type 0, 1 (SHA-256), 2 (SHA-512).
    package var certificate: [String]
    /// Selector 1 (SubjectPublicKeyInfo), by matching type 0, 1, 2.
    package var publicKey: [String]

    package init(certificate: [String], publicKey: [String]) {
        self.certificate = certificate
        self.publicKey = publicKey
    }

    /// Whether `record`'s selector and matching type lead to its data here.
    package func matches(_ record: TLSARecord) -> Bool {
        let values = record.selector == 0 ? certificate : record.selector == 1 ? publicKey : []
        guard Int(record.matchingType) < values.count else { return false }
        return values[Int(record.matchingType)] == record.data
    }
}
