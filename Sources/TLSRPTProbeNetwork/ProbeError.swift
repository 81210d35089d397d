package import TLSRPTCore

/// Why a probe could not start: settings a user has to correct (exit 2).
package struct ProbeError: CodedError {
    package enum Code: Sendable, Equatable {
        /// `--resolver` is not HOST:PORT, or /etc/resolv.conf names no nameserver.
        case resolver
        /// `--ca-file` cannot be read or holds no certificate.
        case caFile
        /// A domain argument is not a domain name.
        case domain
    }

    package let code: Code
    package let message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}
