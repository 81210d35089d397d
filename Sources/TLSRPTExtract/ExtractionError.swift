import TLSRPTCore
import TLSRPTMail

/// Why no report JSON could be taken out of an input. The message is one line a person can act on.
package struct ExtractionError: CodedError {
    package enum Code: Sendable, Equatable {
        /// Empty input.
        case empty
        /// Neither gzip, JSON nor a mail message.
        case unrecognised
        /// Something else that lands in report mailboxes: a DMARC aggregate report (XML, zip).
        case notTLSReport
        /// Broken gzip (truncated, corrupt).
        case badGzip
        /// Past the decompressed-size cap, or too many gzip layers.
        case tooLarge
        /// A message that could not be read, or that carries no report.
        case badMail
    }

    package let code: Code
    package let message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}
