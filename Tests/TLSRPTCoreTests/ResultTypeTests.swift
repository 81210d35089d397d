import Testing

@testable import TLSRPTCore

struct ResultTypeTests {
    /// The eleven names, typed out from RFC 8460 §4.3 rather than taken from the code.
    static let wireNames: [(String, ResultType, ResultCategory)] = [
        ("starttls-not-supported", .starttlsNotSupported, .tls),
        ("certificate-host-mismatch", .certificateHostMismatch, .tls),
        ("certificate-expired", .certificateExpired, .tls),
        ("certificate-not-trusted", .certificateNotTrusted, .tls),
        ("validation-failure", .validationFailure, .tls),
        ("tlsa-invalid", .tlsaInvalid, .dane),
        ("dnssec-invalid", .dnssecInvalid, .dane),
        ("dane-required", .daneRequired, .dane),
        ("sts-policy-fetch-error", .stsPolicyFetchError, .sts),
        ("sts-policy-invalid", .stsPolicyInvalid, .sts),
        ("sts-webpki-invalid", .stsWebpkiInvalid, .sts),
    ]

    @Test func everyRegisteredNameRoundTrips() {
        #expect(ResultType.registered.count == 11)
        for (name, type, category) in Self.wireNames {
            #expect(ResultType(canonicalising: name) == type)
            #expect(type.name == name)
            #expect(type.description == name)
            #expect(type.category == category)
            #expect(type.isRegistered)
        }
        #expect(ResultType.registered == Self.wireNames.map(\.1))
    }

    @Test(arguments: [
        ("Certificate-Expired ", ResultType.certificateExpired),
        ("  STARTTLS-NOT-SUPPORTED\n", .starttlsNotSupported),
        ("\tSts-Policy-Fetch-Error", .stsPolicyFetchError),
        ("certificate_host_mismatch", .certificateHostMismatch),
        ("DANE required", .daneRequired),
    ])
    func variantsAreCanonicalised(raw: String, expected: ResultType) {
        #expect(ResultType(canonicalising: raw) == expected)
    }

    @Test(arguments: [
        ("Testing", "testing"),
        (" Brand-New-Type ", "brand-new-type"),
        ("some_vendor_code", "some_vendor_code"),
        ("certificate-expired-soon", "certificate-expired-soon"),
        ("ÜBER-FEHLER", "über-fehler"),
        ("", ""),
    ])
    func unknownTypesAreKeptLowerCased(raw: String, canonical: String) {
        let type = ResultType(canonicalising: raw)
        #expect(type == .unknown(canonical))
        #expect(type.name == canonical)
        #expect(type.category == .unknown)
        #expect(!type.isRegistered)
    }

    @Test func orderIsRegistryOrderThenUnknownByText() {
        let shuffled: [ResultType] = [.unknown("zeta"), .stsWebpkiInvalid, .unknown("alpha"), .starttlsNotSupported, .daneRequired]
        #expect(shuffled.sorted() == [.starttlsNotSupported, .daneRequired, .stsWebpkiInvalid, .unknown("alpha"), .unknown("zeta")])
        #expect(ResultType.registered.sorted() == ResultType.registered)
    }

    @Test func categoriesAreTheFourOfTheDesign() {
        #expect(ResultCategory.allCases.map(\.rawValue) == ["tls", "sts", "dane", "unknown"])
    }
}
