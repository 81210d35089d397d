import Crypto
import Foundation
import SwiftASN1
import X509

/// A test CA made at test time, issuing server certificates for any names and validity. Like a real CA it
/// is older than the certificates it issued, so an expired one is judged at a time its issuer was valid.
struct TestPKI {
    let key = P256.Signing.PrivateKey()
    let certificate: Certificate

    init(name: String = "tlsrpt test CA") throws {
        let subject = try DistinguishedName { CommonName(name) }
        let now = Date()
        certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey), notValidBefore: now.addingTimeInterval(-365 * 86_400),
            notValidAfter: now.addingTimeInterval(365 * 86_400), issuer: subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            }, issuerPrivateKey: .init(key))
    }

    var pem: String { (try? certificate.serializeAsPEM().pemString) ?? "" }

    /// A server certificate and key, as PEM, for `names`, valid from `notBefore` to `notAfter` days from now.
    /// `spkiSHA256` is the data of a `3 1 1` TLSA record for it, upper-case hex.
    func issue(_ names: [String], notBefore: Double = -1, notAfter: Double = 90) throws -> (certificate: String, key: String, spkiSHA256: String) {
        let leafKey = P256.Signing.PrivateKey()
        let now = Date()
        let leaf = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(leafKey.publicKey), notValidBefore: now.addingTimeInterval(notBefore * 86_400),
            notValidAfter: now.addingTimeInterval(notAfter * 86_400), issuer: certificate.subject,
            subject: try DistinguishedName { CommonName(names[0]) }, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(names.map { GeneralName.dnsName($0) })
            }, issuerPrivateKey: .init(key))
        let digest = SHA256.hash(data: Array(leaf.publicKey.subjectPublicKeyInfoBytes))
        return (try leaf.serializeAsPEM().pemString, leafKey.pemRepresentation, digest.map { String(format: "%02X", $0) }.joined())
    }
}
