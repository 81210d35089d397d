/// One entry of a report's `policies`: the policy the sender applied, its session totals, and the failures.
public struct PolicyResult: Sendable, Hashable {
    public var policy: Policy
    public var summary: SessionSummary
    /// `failure-details`; absent, `null` and `[]` all become empty.
    public var failureDetails: [FailureDetail]

    public init(policy: Policy, summary: SessionSummary, failureDetails: [FailureDetail]) {
        self.policy = policy
        self.summary = summary
        self.failureDetails = failureDetails
    }

    /// Successful plus failed sessions: the weight used to pick which of several policies for the same
    /// domain stands for a report's sessions (Microsoft reports the same sessions under `sts` and `tlsa`).
    public var totalSessions: Int64 { CountSum.add(summary.successful, summary.failed) }
}

/// `total-successful-session-count` and `total-failure-session-count`, 64-bit as the digest asks.
public struct SessionSummary: Sendable, Hashable {
    public var successful: Int64
    public var failed: Int64

    public init(successful: Int64, failed: Int64) {
        self.successful = successful
        self.failed = failed
    }
}

/// The applied policy (`policies[].policy`).
public struct Policy: Sendable, Hashable {
    public var type: PolicyType
    /// `policy-string`, one element per line or record, as sent (a draft-style single string is split on line breaks).
    public var strings: [String]
    /// `policy-domain`, normalised (lower-case, no trailing dot, A-labels); nil when the sender named none.
    public var domain: String?
    /// When the sender named no domain: the one the carrying mail (`TLS-Report-Domain`) or the RFC 8460 file
    /// name gives. Shown to people, but not used for counting: the JSON is authoritative.
    public var inferredDomain: String?
    /// `mx-host` patterns, normalised; a bare string and a leaked `mx:` prefix are accepted.
    public var mxHosts: [String]
    /// For `sts`: the policy string parsed back into mode, mx patterns and max_age.
    public var sts: STSPolicy?
    /// For `tlsa`: the records, including Microsoft's JSON-encoded array form.
    public var tlsa: [TLSARecord]

    public init(
        type: PolicyType, strings: [String] = [], domain: String?, mxHosts: [String] = [], sts: STSPolicy? = nil,
        tlsa: [TLSARecord] = []
    ) {
        self.type = type
        self.strings = strings
        self.domain = domain
        self.mxHosts = mxHosts
        self.sts = sts
        self.tlsa = tlsa
    }
}

/// `policy-type`. Unknown types are kept (lower-cased) rather than rejected: the registry may grow.
public enum PolicyType: Sendable, Hashable, CustomStringConvertible {
    case sts
    case tlsa
    case noPolicyFound
    case other(String)

    public init(canonicalising raw: String) {
        let text = HostName.trimmedLowercased(raw)
        switch text {
        case "sts": self = .sts
        case "tlsa": self = .tlsa
        case "no-policy-found": self = .noPolicyFound
        default: self = .other(text)
        }
    }

    /// The wire name: `sts`, `tlsa`, `no-policy-found`, or the unknown text.
    public var name: String {
        switch self {
        case .sts: "sts"
        case .tlsa: "tlsa"
        case .noPolicyFound: "no-policy-found"
        case .other(let text): text
        }
    }

    public var description: String { name }
}
