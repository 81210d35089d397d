/// One `failure-details` entry: a group of failed sessions sharing a result type, addresses and reason.
public struct FailureDetail: Sendable, Hashable {
    public var resultType: ResultType
    /// `result-type` exactly as sent, kept when it differs from the canonical name (case, spaces).
    public var resultTypeRaw: String
    /// `sending-mta-ip`, in canonical text form when it parses as an address, else as sent.
    public var sendingMTAIP: String?
    /// `receiving-mx-hostname`: lower-case, no trailing dot, A-labels.
    public var receivingMXHostname: String?
    /// `receiving-mx-helo`, normalised like a host name.
    public var receivingMXHelo: String?
    /// `receiving-ip`, canonical when it parses.
    public var receivingIP: String?
    public var failedSessionCount: Int64
    /// `additional-information` (also spelled `additional-info-uri` by some tools). Never fetched.
    public var additionalInformation: String?
    /// `failure-reason-code` (also spelled `failure-error-code`).
    public var failureReasonCode: String?

    public init(
        resultType: ResultType, resultTypeRaw: String, sendingMTAIP: String? = nil, receivingMXHostname: String? = nil,
        receivingMXHelo: String? = nil, receivingIP: String? = nil, failedSessionCount: Int64,
        additionalInformation: String? = nil, failureReasonCode: String? = nil
    ) {
        self.resultType = resultType
        self.resultTypeRaw = resultTypeRaw
        self.sendingMTAIP = sendingMTAIP
        self.receivingMXHostname = receivingMXHostname
        self.receivingMXHelo = receivingMXHelo
        self.receivingIP = receivingIP
        self.failedSessionCount = failedSessionCount
        self.additionalInformation = additionalInformation
        self.failureReasonCode = failureReasonCode
    }
}
