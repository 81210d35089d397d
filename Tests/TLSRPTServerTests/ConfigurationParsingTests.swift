import TLSRPTServer
import Testing

struct ConfigurationParsingTests {
    @Test(arguments: [
        ("127.0.0.1:8443", "127.0.0.1", 8443), ("[::1]:443", "::1", 443), ("[::]:0", "::", 0), ("localhost:80", "localhost", 80),
    ])
    func listenAddressParses(_ text: String, _ host: String, _ port: Int) {
        #expect(ListenAddress(text) == ListenAddress(host: host, port: port))
    }

    @Test(arguments: ["127.0.0.1", "::1:443", "[::1]443", ":443", "host:70000", "host:x"])
    func listenAddressRefuses(_ text: String) {
        #expect(ListenAddress(text) == nil)
    }

    @Test(arguments: [("1048576", 1_048_576), ("512K", 524_288), ("1M", 1_048_576), ("16MiB", 16_777_216), ("1g", 1 << 30)])
    func byteCountParses(_ text: String, _ value: Int) {
        #expect(ByteCount.parse(text) == value)
    }

    @Test(arguments: ["", "0", "-1", "1T", "M", "one"])
    func byteCountRefuses(_ text: String) {
        #expect(ByteCount.parse(text) == nil)
    }
}
