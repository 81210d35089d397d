import TLSRPTCore

/// Why one attempt to deliver an alert failed, in words the admin can act on (they end up in the log and in
/// `tlsrpt alerts`).
package struct AlertDeliveryError: CodedError {
    package enum Code: Sendable, Equatable {
        /// The channel did not finish within the timeout (the command was killed, the connection closed).
        case timedOut
        /// The command exited with another status than 0, or was killed.
        case commandFailed
        /// The command could not be started.
        case cannotStart
        /// The webhook could not be reached, or answered with another status than 2xx.
        case httpFailed
    }

    package let code: Code
    package let message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}
