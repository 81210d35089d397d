package import Foundation
import NIOCore
import TLSRPTCore
package import TLSRPTProbe

/// Gathers the ``DomainFacts`` of a domain: DNS first, then the policy, then every MX address, each step
/// with its own deadline, so a probe never hangs.
package struct DomainProber: Sendable {
    package var settings: ProbeSettings
    package var inspector: CertificateInspector

    package init(settings: ProbeSettings) throws(ProbeError) {
        self.settings = settings
        self.inspector = try CertificateInspector.load(caFile: settings.caFile)
    }

    package func gather(_ domain: String, now: Date = Date()) async -> DomainFacts {
        let dns = DNSClient(server: settings.resolver, timeout: settings.timeout)
        let mx = await mxFacts(domain, dns: dns)
        let sts = await txt("_mta-sts.\(domain)", dns: dns)
        let tlsrpt = await txt("_smtp._tls.\(domain)", dns: dns)
        let policy: PolicyFetch
        switch await addresses("mta-sts.\(domain)", dns: dns) {
        case .failure(let failure): policy = .failed(PolicyFetchFailure(kind: .dns, message: failure.description))
        case .success(let found) where found.addresses.isEmpty:
            policy = .failed(PolicyFetchFailure(kind: .dns, message: "mta-sts.\(domain) has no address"))
        case .success(let found):
            policy = await PolicyFetcher(port: settings.httpsPort, caFile: settings.caFile, timeout: settings.timeout)
                .fetch(domain: domain, address: found.addresses[0])
        }
        var connections: [ConnectionFacts] = []
        if case .answer(let records) = mx {
            let smtp = SMTPProbe(timeout: settings.timeout, ehloName: settings.ehloName)
            for record in records {
                for address in record.addresses {
                    let outcome: ConnectionFacts.Outcome
                    switch await smtp.probe(address: address, port: settings.smtpPort, serverName: record.name) {
                    case .unreachable(let reason): outcome = .unreachable(reason)
                    case .noSTARTTLS: outcome = .noSTARTTLS
                    case .handshakeFailed(let reason): outcome = .handshakeFailed(reason)
                    case .presented(let chain):
                        if let facts = await inspector.inspect(chain, now: now) {
                            outcome = .certificate(facts)
                        } else {
                            outcome = .handshakeFailed("the certificate presented does not parse")
                        }
                    }
                    connections.append(ConnectionFacts(mxName: record.name, address: address, outcome: outcome))
                }
            }
        }
        return DomainFacts(domain: domain, mx: mx, stsRecords: sts, tlsrptRecords: tlsrpt, policy: policy, connections: connections)
    }

    func mxFacts(_ domain: String, dns: DNSClient) async -> Lookup<[MXFacts]> {
        let answer: DNSMessage
        switch await dns.query(domain, .mx) {
        case .failure(let failure): return .failed(failure.description)
        case .success(let message): answer = message
        }
        var records: [MXFacts] = []
        let exchanges = answer.answers.compactMap { record -> (Int, String)? in
            if case .mx(_, let preference, let exchange) = record { return (preference, exchange) }
            return nil
        }.sorted { $0 < $1 }
        for (preference, name) in exchanges {
            var facts = MXFacts(name: name, preference: preference, addresses: [])
            if case .success(let found) = await addresses(name, dns: dns) {
                facts.cnameChain = found.chain
                facts.addresses = found.addresses
            }
            // RFC 7672 §2.2.2: TLSA records of the CNAME target when the MX name is an alias, else of the name.
            for owner in ([facts.target] + (facts.cnameChain.isEmpty ? [] : [name])) {
                guard case .success(let message) = await dns.query("_25._tcp.\(owner)", .tlsa) else { continue }
                let tlsa = message.answers.compactMap { record -> TLSARecord? in
                    if case .tlsa(_, let tlsa) = record { return tlsa }
                    return nil
                }
                if !tlsa.isEmpty {
                    facts.tlsa = tlsa
                    facts.tlsaAuthenticated = message.authenticated
                    break
                }
            }
            records.append(facts)
        }
        return .answer(records)
    }

    /// The CNAME chain from `name` and the addresses at its end (A, then AAAA).
    func addresses(_ name: String, dns: DNSClient) async -> Result<(chain: [String], addresses: [String]), DNSFailure> {
        var chain: [String] = []
        var found: [String] = []
        for type in [DNSRecordType.a, .aaaa] {
            let message: DNSMessage
            switch await dns.query(name, type) {
            case .failure(let failure):
                if type == .a { return .failure(failure) }
                continue
            case .success(let answer): message = answer
            }
            var current = name
            var links: [String] = []
            // Follow the chain in the answer, bounded: a loop of aliases ends here.
            for _ in 0..<8 {
                guard
                    let next = message.answers.lazy.compactMap({ record -> String? in
                        if case .cname(let owner, let target) = record, owner == current { return target }
                        return nil
                    }).first
                else { break }
                links.append(next)
                current = next
            }
            if type == .a { chain = links }
            for record in message.answers {
                switch record {
                case .a(let owner, let address) where owner == current: found.append(address)
                case .aaaa(let owner, let address) where owner == current: found.append(address)
                default: break
                }
            }
        }
        return .success((chain, found))
    }

    func txt(_ name: String, dns: DNSClient) async -> Lookup<[String]> {
        switch await dns.query(name, .txt) {
        case .failure(let failure): return .failed(failure.description)
        case .success(let message):
            return .answer(
                message.answers.compactMap { record in
                    if case .txt(let owner, let text) = record, owner == name.lowercased() { return text }
                    return nil
                })
        }
    }
}
