/// One SMTP connection to one MX address.
package struct ConnectionFacts: Sendable, Equatable {
    /// The MX name as published.
    package var mxName: String
    package var address: String
    package var outcome: Outcome

    package enum Outcome: Sendable, Equatable {
        /// No SMTP greeting: refused, timed out, or not SMTP.
        case unreachable(String)
        /// The server's EHLO answer did not offer STARTTLS.
        case noSTARTTLS
        /// STARTTLS was offered, but the TLS handshake failed before a certificate was seen.
        case handshakeFailed(String)
        /// The handshake completed and the server presented this certificate.
        case certificate(CertificateFacts)
    }

    package init(mxName: String, address: String, outcome: Outcome) {
        self.mxName = mxName
        self.address = address
        self.outcome = outcome
    }
}
