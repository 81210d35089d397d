import TLSRPTProbe
import Testing

struct TXTRecordCheckTests {
    @Test func stsRecords() {
        #expect(TXTRecordCheck.sts(["v=STSv1; id=20261201T1"]).ok)
        #expect(TXTRecordCheck.sts(["v=spf1 -all", "v=STSv1;id=abc123"]).ok)
        #expect(!TXTRecordCheck.sts([]).ok)
        #expect(!TXTRecordCheck.sts(["v=STSv1"]).ok)
        #expect(!TXTRecordCheck.sts(["v=STSv1; id=not-alphanumeric"]).ok)
        #expect(!TXTRecordCheck.sts(["v=STSv1; id=" + String(repeating: "a", count: 33)]).ok)
        #expect(!TXTRecordCheck.sts(["v=STSv1; id=1", "v=STSv1; id=2"]).ok)
    }

    @Test func tlsrptRecords() {
        #expect(TXTRecordCheck.tlsrpt(["v=TLSRPTv1; rua=mailto:tlsrpt@example.com"]).ok)
        #expect(TXTRecordCheck.tlsrpt(["v=TLSRPTv1; rua=mailto:a@example.com, https://reports.example.net/tlsrpt"]).ok)
        #expect(!TXTRecordCheck.tlsrpt(["v=TLSRPTv1"]).ok)
        #expect(!TXTRecordCheck.tlsrpt(["v=TLSRPTv1; rua=tlsrpt@example.com"]).ok)
        #expect(!TXTRecordCheck.tlsrpt(["v=TLSRPTv1; rua=mailto:@example.com"]).ok)
        #expect(!TXTRecordCheck.tlsrpt(["v=TLSRPTv1; rua=https://"]).ok)
        #expect(!TXTRecordCheck.tlsrpt(["v=TLSRPTv1; rua=mailto:a@example.com", "v=TLSRPTv1; rua=mailto:b@example.com"]).ok)
    }

    @Test func certificateNames() {
        #expect(CertificateName.matches(pattern: "mx1.example.com", host: "MX1.example.com."))
        #expect(CertificateName.matches(pattern: "*.example.com", host: "mx1.example.com"))
        #expect(!CertificateName.matches(pattern: "*.example.com", host: "example.com"))
        #expect(!CertificateName.matches(pattern: "*.example.com", host: "a.mx1.example.com"))
        #expect(!CertificateName.matches(pattern: "mail.hoster-cdn.net", host: "mx1.example.com"))
    }
}
