import AsyncHTTPClient
package import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
package import TLSRPTProbe

/// Fetches `https://mta-sts.DOMAIN/.well-known/mta-sts.txt` as a sender does (RFC 8461 §3.3): no redirects
/// followed, the certificate verified for `mta-sts.DOMAIN` against the system roots (plus `--ca-file`), the
/// body capped, a deadline on the whole fetch.
///
/// The host is connected to at the address the probe's own resolver gave (`dnsOverride`), so the name
/// verified and sent as SNI is still `mta-sts.DOMAIN` while the address comes from `--resolver`.
package struct PolicyFetcher: Sendable {
    package var port: Int
    package var caFile: String?
    package var timeout: TimeAmount
    package var group: any EventLoopGroup

    package init(port: Int, caFile: String?, timeout: TimeAmount, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.port = port
        self.caFile = caFile
        self.timeout = timeout
        self.group = group
    }

    package func fetch(domain: String, address: String) async -> PolicyFetch {
        let host = "mta-sts.\(domain)"
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile { tls.additionalTrustRoots = [.file(caFile)] }
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls, redirectConfiguration: .disallow, timeout: .init(connect: timeout, read: timeout), connectionPool: .init())
        configuration.dnsOverride = [host: address]
        let client = HTTPClient(eventLoopGroupProvider: .shared(group), configuration: configuration)
        let outcome = await fetch(client, url: "https://\(host)\(port == 443 ? "" : ":\(port)")/.well-known/mta-sts.txt")
        try? await client.shutdown()
        return outcome
    }

    private func fetch(_ client: HTTPClient, url: String) async -> PolicyFetch {
        do {
            let response = try await client.execute(HTTPClientRequest(url: url), timeout: timeout)
            var body: String?
            do {
                let bytes = try await response.body.collect(upTo: ProbeEvaluator.policySizeCap)
                body = String(decoding: bytes.readableBytesView, as: UTF8.self)
            } catch is NIOTooManyBytesError {
                body = nil
            }
            return .response(
                PolicyResponse(
                    status: Int(response.status.code), contentType: response.headers.first(name: "content-type"),
                    location: response.headers.first(name: "location"), body: body))
        } catch let error as NIOSSLError {
            return .failed(PolicyFetchFailure(kind: .certificate, message: "TLS handshake failed: \(error)"))
        } catch let error as NIOSSLExtraError {
            return .failed(PolicyFetchFailure(kind: .certificate, message: "the certificate is not valid for this host: \(error)"))
        } catch {
            return .failed(PolicyFetchFailure(kind: .connection, message: "\(error)"))
        }
    }
}
