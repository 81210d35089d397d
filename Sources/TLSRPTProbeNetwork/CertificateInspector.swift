import Crypto
package import Foundation
import SwiftASN1
package import TLSRPTProbe
import X509

/// Judges a presented chain as a sender does: trusted by the system roots (plus `--ca-file`), the leaf's
/// names, its expiry, and the data TLSA records match.
package struct CertificateInspector: Sendable {
    var roots: [Certificate]

    /// The system's roots (the Debian/Ubuntu, Fedora or Alpine bundle, whichever exists) and `caFile`'s.
    package static func load(caFile: String?) throws(ProbeError) -> CertificateInspector {
        var roots: [Certificate] = []
        for bundle in ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem"] {
            if let text = try? String(contentsOfFile: bundle, encoding: .utf8) {
                roots = pemCertificates(text)
                break
            }
        }
        if let caFile {
            guard let text = try? String(contentsOfFile: caFile, encoding: .utf8) else {
                throw ProbeError(.caFile, "--ca-file \(caFile): cannot read it")
            }
            let extra = pemCertificates(text)
            guard !extra.isEmpty else { throw ProbeError(.caFile, "--ca-file \(caFile): holds no PEM certificate") }
            roots += extra
        }
        return CertificateInspector(roots: roots)
    }

    init(roots: [Certificate]) {
        self.roots = roots
    }

    /// Every certificate of a PEM bundle; blocks that do not parse are skipped.
    static func pemCertificates(_ text: String) -> [Certificate] {
        let marker = "-----END CERTIFICATE-----"
        return text.components(separatedBy: marker).compactMap { block in
            guard let begin = block.range(of: "-----BEGIN CERTIFICATE-----") else { return nil }
            return try? Certificate(pemEncoded: String(block[begin.lowerBound...]) + marker)
        }
    }

    /// The facts of a chain presented as DER, leaf first; nil when the leaf does not parse.
    package func inspect(_ chain: [[UInt8]], now: Date) async -> CertificateFacts? {
        let certificates = chain.compactMap { try? Certificate(derEncoded: $0) }
        guard let leaf = certificates.first, certificates.count == chain.count else { return nil }
        var names: [String] = []
        if let alternatives = try? leaf.extensions.subjectAlternativeNames {
            for case .dnsName(let name) in alternatives { names.append(name.lowercased()) }
        }
        // Judged at a moment the leaf was valid, so an expired certificate is called expired, not also untrusted.
        let validationTime = leaf.notValidAfter < now ? leaf.notValidAfter.addingTimeInterval(-1) : now
        var verifier = Verifier(rootCertificates: CertificateStore(roots)) { RFC5280Policy(validationTime: validationTime) }
        let verdict = await verifier.validate(leaf: leaf, intermediates: CertificateStore(Array(certificates.dropFirst())))
        var trusted = false
        var problem: String?
        switch verdict {
        case .validCertificate: trusted = true
        case .couldNotValidate(let failures):
            problem =
                failures.isEmpty
                ? "no chain from \(leaf.issuer) to a trusted root (is the intermediate missing, or the CA not public?)"
                : failures.map { String(describing: $0.policyFailureReason) }.joined(separator: "; ")
        }
        return CertificateFacts(
            names: names, notAfter: leaf.notValidAfter, trusted: trusted, trustProblem: problem,
            associations: zip(chain, certificates).map { der, certificate in
                Self.associations(der: der, spki: Array(certificate.publicKey.subjectPublicKeyInfoBytes))
            })
    }

    /// RFC 6698 §2.1.2–3: full data, SHA-256 and SHA-512, of the certificate and of its SubjectPublicKeyInfo.
    static func associations(der: [UInt8], spki: [UInt8]) -> TLSAAssociations {
        func three(_ bytes: [UInt8]) -> [String] {
            [hex(bytes), hex(Array(SHA256.hash(data: bytes))), hex(Array(SHA512.hash(data: bytes)))]
        }
        return TLSAAssociations(certificate: three(der), publicKey: three(spki))
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
