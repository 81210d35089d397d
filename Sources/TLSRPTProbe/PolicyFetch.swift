/// How the policy fetch went.
package enum PolicyFetch: Sendable, Equatable {
    /// An HTTP answer arrived (any status: the evaluator judges it).
    case response(PolicyResponse)
    /// No HTTP answer: DNS, connection, TLS (certificate) or a timeout.
    case failed(PolicyFetchFailure)
}

/// An HTTP answer to the policy fetch.
package struct PolicyResponse: Sendable, Equatable {
    package var status: Int
    package var contentType: String?
    /// `Location`, for a redirect.
    package var location: String?
    /// The body as UTF-8 text, nil when it was larger than the cap.
    package var body: String?

    package init(status: Int, contentType: String?, location: String? = nil, body: String?) {
        self.status = status
        self.contentType = contentType
        self.location = location
        self.body = body
    }
}

/// Why the policy fetch got no HTTP answer.
package struct PolicyFetchFailure: Sendable, Equatable {
    package enum Kind: String, Sendable {
        /// `mta-sts.DOMAIN` has no address.
        case dns
        /// The TLS handshake failed: the certificate is not valid for `mta-sts.DOMAIN` or not trusted.
        case certificate
        /// Refused, reset, or no answer in time.
        case connection
    }

    package var kind: Kind
    package var message: String

    package init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }
}
