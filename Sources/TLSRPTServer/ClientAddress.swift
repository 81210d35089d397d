import Foundation
import HTTPTypes
import NIOCore

/// The address recorded as the sender of a report.
///
/// `X-Forwarded-For` is anyone's to write, so it counts only with `--trust-proxy`, and then only its last
/// entry: the one our own proxy appended. Entries before it were sent by the client and prove nothing.
enum ClientAddress {
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    static func of(headers: HTTPFields, peer: SocketAddress?, trustProxy: Bool) -> String? {
        if trustProxy, let line = headers[values: forwardedFor].last,
            let last = line.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty
        {
            return last
        }
        return peer?.ipAddress
    }
}
