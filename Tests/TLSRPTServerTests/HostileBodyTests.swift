import Foundation
import Hummingbird
import HummingbirdTesting
import TLSRPTExtract
import TLSRPTServer
import TLSRPTStore
import Testing

/// Issue #8's battery through the HTTPS endpoint (in process): every hostile body is answered with a 4xx
/// and a one-line reason, nothing is stored, and the server goes on answering. Mail-shaped inputs do not
/// apply (the endpoint takes report bodies); the CLI battery covers them.
struct HostileBodyTests {
    static let report = Array(
        #"{"organization-name":"G","date-range":{"start-datetime":"2026-11-22T00:00:00Z","end-datetime":"2026-11-22T23:59:59Z"},"report-id":"r","policies":[{"policy":{"policy-type":"sts","policy-domain":"example.com"},"summary":{"total-successful-session-count":SUCC,"total-failure-session-count":0}}]}"#
            .utf8)

    static func report(successful: String) -> [UInt8] {
        Array(String(decoding: report, as: UTF8.self).replacingOccurrences(of: "SUCC", with: successful).utf8)
    }

    static func bodies() -> [(String, [UInt8])] {
        let valid = report(successful: "5")
        let gz = Gzip.compress(valid)
        var corrupt = Gzip.compress(Array(String(repeating: String(decoding: valid, as: UTF8.self), count: 20).utf8))
        for index in stride(from: 20, to: corrupt.count - 20, by: 7) { corrupt[index] ^= 0x5A }
        let bomb = Gzip.compress([UInt8](repeating: 0, count: 100 << 20), level: 9)
        var generator = SystemRandomNumberGenerator()
        return [
            ("gzip bomb", bomb),
            ("gzip bomb inside gzip", Gzip.compress(bomb)),
            ("three gzip layers", Gzip.compress(Gzip.compress(gz))),
            ("truncated gzip", Array(gz.prefix(gz.count / 2))),
            ("corrupt gzip", corrupt),
            ("random bytes after a gzip magic", [0x1F, 0x8B] + (0..<65_536).map { _ in UInt8.random(in: 0...255, using: &generator) }),
            ("arrays nested 500,000 deep", [UInt8](repeating: UInt8(ascii: "["), count: 500_000)),
            ("objects nested 150,000 deep", Array(String(repeating: #"{"a":"#, count: 150_000).utf8)),
            ("a count beyond 64 bits", report(successful: "123456789012345678901234567890")),
            ("a count of 1e400", report(successful: "1e400")),
            ("a negative count", report(successful: "-5")),
            ("a count as a string", report(successful: "\"5\"")),
            ("invalid UTF-8", valid.map { $0 == UInt8(ascii: "G") ? 0xFF : $0 }),
            ("a NUL byte in a string", valid.map { $0 == UInt8(ascii: "G") ? 0x00 : $0 }),
            ("a UTF-16 body", [0xFF, 0xFE] + String(decoding: valid, as: UTF8.self).utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }),
            ("trailing garbage", valid + Array("<html>".utf8)),
            (
                "a date that does not parse",
                Array(String(decoding: valid, as: UTF8.self).replacingOccurrences(of: "2026-11-22T00:00:00Z", with: "April fools").utf8)
            ),
            ("an empty body", []),
            (
                "16 MiB of tiny values, gzipped",
                Gzip.compress(
                    Array("[".utf8) + [UInt8](repeating: UInt8(ascii: "0"), count: 1).map { $0 } + Array(String(repeating: ",0", count: 8 << 20).utf8)
                        + Array("]".utf8))
            ),
            ("2 MB of JSON over the body cap", Array("[".utf8) + Array(String(repeating: "0,", count: 1 << 20).utf8) + Array("0]".utf8)),
        ]
    }

    @Test func everyHostileBodyIsA4xxWithOneLine() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        try await harness.server.application().test(.router) { client in
            for (name, body) in Self.bodies() {
                let response = try await client.execute(
                    uri: "/tlsrpt", method: .post, headers: [.contentType: "application/tlsrpt+gzip"], body: ByteBuffer(bytes: body))
                #expect((400..<500).contains(response.status.code), "\(name): \(response.status)")
                let reason = String(buffer: response.body)
                #expect(reason.utf8.count < 400 && !reason.dropLast().contains("\n"), "\(name): \(reason.prefix(300))")
            }
            // Still answering, and a valid report still goes in.
            let valid = try await client.execute(
                uri: "/tlsrpt", method: .post, headers: [.contentType: "application/tlsrpt+json"],
                body: ByteBuffer(bytes: Self.report(successful: "5")))
            #expect(valid.status == .created)
        }
        #expect(try harness.storedReports().count == 1)
        #expect(try harness.store.check().isEmpty)
    }
}
