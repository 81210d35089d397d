import NIOCore
import TLSRPTProbeNetwork
import TLSRPTTestSupport
import Testing

struct ProbeSettingsTests {
    let dir = TemporaryDirectory()

    @Test func resolverAddresses() throws {
        #expect(try ProbeSettings.resolverAddress("127.0.0.1:5353").port == 5353)
        #expect(try ProbeSettings.resolverAddress("192.0.2.53").port == 53)
        #expect(try ProbeSettings.resolverAddress("[::1]:5353").port == 5353)
        #expect(try ProbeSettings.resolverAddress("::1").port == 53)
        #expect(throws: ProbeError(.resolver, "")) { try ProbeSettings.resolverAddress("dns.example:53") }
        #expect(throws: ProbeError(.resolver, "")) { try ProbeSettings.resolverAddress("127.0.0.1:99999") }
    }

    @Test func theSystemResolverIsTheFirstNameserver() throws {
        let conf = try dir.write("resolv.conf", "# comment\nsearch example.com\nnameserver 192.0.2.1\nnameserver 192.0.2.2\n")
        #expect(try ProbeSettings.systemResolver(resolvConf: conf).ipAddress == "192.0.2.1")
        let empty = try dir.write("empty.conf", "search example.com\n")
        #expect(throws: ProbeError(.resolver, "")) { try ProbeSettings.systemResolver(resolvConf: empty) }
    }

    @Test func aCAFileMustHoldCertificates() throws {
        let junk = try dir.write("junk.pem", "not a certificate\n")
        #expect(throws: ProbeError(.caFile, "")) { try CertificateInspector.load(caFile: junk) }
        #expect(throws: ProbeError(.caFile, "")) { try CertificateInspector.load(caFile: dir.file("missing.pem")) }
    }
}
