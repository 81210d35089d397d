import NIOConcurrencyHelpers

/// How many requests each client address has in flight, and a limit on it.
///
/// One sender has no reason to hold more than a few uploads open at once (a real one POSTs a few reports
/// a day), while one client holding hundreds would take the decode workers, the memory of their bodies
/// and the connection slots from everyone else. A request over the limit is refused on its head with 429
/// and `Retry-After`, before its body is read. Requests without an address (in-process tests) are not
/// counted.
final class ClientAdmission: Sendable {
    let limitPerClient: Int
    private let counts = NIOLockedValueBox([String: Int]())

    init(limitPerClient: Int) {
        self.limitPerClient = max(1, limitPerClient)
    }

    /// A request admitted for `client`; `release()` it when the request is answered.
    struct Ticket {
        fileprivate let admission: ClientAdmission
        fileprivate let client: String?

        func release() {
            guard let client else { return }
            admission.counts.withLockedValue { counts in
                let left = (counts[client] ?? 1) - 1
                counts[client] = left > 0 ? left : nil
            }
        }
    }

    /// Admits one more request from `client`, or throws 429 when it has `limitPerClient` in flight.
    func admit(_ client: String?) throws(EndpointError) -> Ticket {
        guard let client else { return Ticket(admission: self, client: nil) }
        let admitted = counts.withLockedValue { counts -> Bool in
            let current = counts[client] ?? 0
            guard current < limitPerClient else { return false }
            counts[client] = current + 1
            return true
        }
        guard admitted else {
            throw EndpointError(
                .tooManyFromClient, "this client already has \(limitPerClient) requests in flight; send one report at a time")
        }
        return Ticket(admission: self, client: client)
    }

    /// Requests in flight for `client` (for tests).
    func inFlight(for client: String) -> Int { counts.withLockedValue { $0[client] ?? 0 } }
}
