package import Foundation
package import TLSRPTCore

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
