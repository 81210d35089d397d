import TLSRPTCore

/// Why a message yielded no TLS report.
///
/// Callers match on `code`; `message` is one line a user can act on (the caller adds which
/// input it was). Two errors are equal when their codes are, as with swift-certificates'
/// `VerificationError`, so tests assert the kind of failure without the wording.
package struct MailError: CodedError {
    package enum Code: Sendable, Equatable, Hashable {
        /// The bytes do not start like an RFC 5322 message.
        case notAMessage
        /// A report, but not a TLS one: a DMARC aggregate report (XML or zip).
        case notTLSReport
        /// A message without any part that is, or looks like, a TLS report.
        case noReportFound
        /// MIME parts nested deeper than `MailLimits.maxDepth`.
        case tooDeep
        /// More MIME parts than `MailLimits.maxParts`.
        case tooManyParts
        /// A header section longer than `MailLimits.maxHeaderBytes`.
        case headerTooLarge
        /// A MIME structure that cannot be taken apart (a multipart without a usable boundary).
        case malformed
    }

    package var code: Code
    package var message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }


    static func headerTooLarge(limit: Int) -> MailError {
        MailError(.headerTooLarge, "header section is longer than \(limit) bytes; refusing to read it")
    }

    static func tooDeep(limit: Int) -> MailError {
        MailError(.tooDeep, "MIME parts are nested more than \(limit) levels deep; refusing to read further")
    }

    static func tooManyParts(limit: Int) -> MailError {
        MailError(.tooManyParts, "message has more than \(limit) MIME parts; refusing to read it")
    }
}
