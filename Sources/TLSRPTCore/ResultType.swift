/// A STARTTLS validation result type: why a group of sessions failed (RFC 8460 §4.3, the IANA
/// "STARTTLS Validation Result Types" registry).
///
/// The registry grows by expert review, so a type we do not know is not an error: it is kept as
/// ``unknown(_:)`` with its canonical text and counted like any other. Summaries key on ``name``.
///
/// Decisions:
/// - Canonical text is the sent text trimmed of white space and lower-cased
///   (`"Certificate-Expired "` is ``certificateExpired``). Callers keep the raw text themselves.
/// - When the canonical text is not a registered name, underscores and inner spaces are read as
///   hyphens *only to look for a registered name* (`certificate_expired`, `dane required`).
///   That is safe because every registered name is lower-case words joined by hyphens, and no
///   two registered names differ only in their separators. A text that still matches nothing is
///   kept as sent (lower-cased), underscores and all, so nothing is invented.
/// - `sts-policy-fetch-error` is treated as registered: it is defined in RFC 8460 §4.3.2.2 and
///   real senders (Microsoft, Mail.ru, Postfix) emit it, although early registry copies omit it.
/// - Order (`Comparable`): registered types in ``registered`` order (negotiation, DANE, MTA-STS),
///   then unknown types by text. Reports list failures in this order.
public enum ResultType: Hashable, Sendable, Comparable, CustomStringConvertible {
    // Negotiation failures (§4.3.1, §4.3.3): TLS with the MX itself.
    case starttlsNotSupported
    case certificateHostMismatch
    case certificateExpired
    case certificateNotTrusted
    case validationFailure
    // DANE policy failures (§4.3.2.1).
    case tlsaInvalid
    case dnssecInvalid
    case daneRequired
    // MTA-STS policy failures (§4.3.2.2).
    case stsPolicyFetchError
    case stsPolicyInvalid
    case stsWebpkiInvalid
    /// A type outside the registry, by its canonical (trimmed, lower-cased) text as sent.
    case unknown(String)

    /// The registered types, in the order of the RFC's sections.
    public static let registered: [ResultType] = [
        .starttlsNotSupported, .certificateHostMismatch, .certificateExpired, .certificateNotTrusted, .validationFailure,
        .tlsaInvalid, .dnssecInvalid, .daneRequired,
        .stsPolicyFetchError, .stsPolicyInvalid, .stsWebpkiInvalid,
    ]

    /// Reads a `result-type` as sent: trims, lower-cases, and recognises registered names.
    public init(canonicalising raw: String) {
        let canonical = HostName.trimmedLowercased(raw)
        if let known = Self.registeredType(named: canonical) {
            self = known
            return
        }
        let hyphenated = Self.hyphenatingSeparators(canonical)
        if hyphenated != canonical, let known = Self.registeredType(named: hyphenated) {
            self = known
            return
        }
        self = .unknown(canonical)
    }

    /// The canonical wire name, e.g. `certificate-host-mismatch`; an unknown type's own text.
    public var name: String {
        switch self {
        case .starttlsNotSupported: "starttls-not-supported"
        case .certificateHostMismatch: "certificate-host-mismatch"
        case .certificateExpired: "certificate-expired"
        case .certificateNotTrusted: "certificate-not-trusted"
        case .validationFailure: "validation-failure"
        case .tlsaInvalid: "tlsa-invalid"
        case .dnssecInvalid: "dnssec-invalid"
        case .daneRequired: "dane-required"
        case .stsPolicyFetchError: "sts-policy-fetch-error"
        case .stsPolicyInvalid: "sts-policy-invalid"
        case .stsWebpkiInvalid: "sts-webpki-invalid"
        case .unknown(let text): text
        }
    }

    /// Which part of the delivery path failed.
    public var category: ResultCategory {
        switch self {
        case .starttlsNotSupported, .certificateHostMismatch, .certificateExpired, .certificateNotTrusted, .validationFailure:
            .tls
        case .tlsaInvalid, .dnssecInvalid, .daneRequired:
            .dane
        case .stsPolicyFetchError, .stsPolicyInvalid, .stsWebpkiInvalid:
            .sts
        case .unknown:
            .unknown
        }
    }

    /// Whether the type is in the registry (everything but ``unknown(_:)``).
    public var isRegistered: Bool {
        if case .unknown = self { return false }
        return true
    }

    public var description: String { name }

    public static func < (lhs: ResultType, rhs: ResultType) -> Bool {
        switch (lhs, rhs) {
        case (.unknown(let a), .unknown(let b)): a < b
        case (.unknown, _): false
        case (_, .unknown): true
        default: lhs.registryIndex < rhs.registryIndex
        }
    }

    private var registryIndex: Int {
        Self.registered.firstIndex(of: self) ?? Self.registered.count
    }

    private static func registeredType(named name: String) -> ResultType? {
        switch name {
        case "starttls-not-supported": .starttlsNotSupported
        case "certificate-host-mismatch": .certificateHostMismatch
        case "certificate-expired": .certificateExpired
        case "certificate-not-trusted": .certificateNotTrusted
        case "validation-failure": .validationFailure
        case "tlsa-invalid": .tlsaInvalid
        case "dnssec-invalid": .dnssecInvalid
        case "dane-required": .daneRequired
        case "sts-policy-fetch-error": .stsPolicyFetchError
        case "sts-policy-invalid": .stsPolicyInvalid
        case "sts-webpki-invalid": .stsWebpkiInvalid
        default: nil
        }
    }

    /// `certificate_expired` and `certificate expired` read as `certificate-expired`.
    private static func hyphenatingSeparators(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: " ") }) else { return text }
        return String(decoding: text.utf8.map { $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: " ") ? UInt8(ascii: "-") : $0 }, as: UTF8.self)
    }
}

/// The part of the delivery path a result type blames, for grouping in summaries.
///
/// `tls`: the TLS session with the MX itself (RFC 8460 "negotiation failures");
/// `sts`: the MTA-STS policy; `dane`: DANE/DNSSEC; `unknown`: a type outside the registry.
public enum ResultCategory: String, Sendable, CaseIterable {
    case tls, sts, dane, unknown
}
