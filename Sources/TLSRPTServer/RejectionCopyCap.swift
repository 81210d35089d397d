import Logging
import NIOConcurrencyHelpers
import TLSRPTCore
import TLSRPTStore

/// Keeps the raw copies of HTTPS rejections under `--reject-copies-max` in the database.
///
/// Every body that does not decode is kept (its first `--reject-preview` bytes) so a person can see what
/// a sender got wrong; as anyone may POST, their total is capped too. The group committer calls
/// `enforce()` on its commit queue after each transaction that wrote rejections, so the database passes the
/// cap by at most one transaction's previews, and only until that call. The oldest copies go first; the
/// rows stay, saying their copy was dropped (`tlsrpt rejects`), and the number dropped is counted in
/// `tlsrpt_rejection_copies_dropped_total`.
final class RejectionCopyCap: Sendable {
    private let store: any ReportStorage
    private let budget: NIOLockedValueBox<RawCopyBudget>
    private let onDrop: @Sendable (Int) -> Void
    private let logger: Logger

    init(store: any ReportStorage, maxBytes: Int, logger: Logger, onDrop: @escaping @Sendable (Int) -> Void) throws(StoreError) {
        self.store = store
        self.budget = NIOLockedValueBox(try store.loadRawCopyBudget(channel: .https, maxBytes: maxBytes))
        self.onDrop = onDrop
        self.logger = logger
    }

    /// Raw copies dropped so far, including those dropped before this server started.
    var dropped: Int { budget.withLockedValue { $0.dropped } }

    /// Drops the oldest raw copies until the rest fit. Called on the commit queue, one call at a time; a
    /// failure is logged and left for the next call (the rejections themselves are committed).
    func enforce() {
        var current = budget.withLockedValue { $0 }
        do {
            let droppedNow = try store.enforce(&current)
            budget.withLockedValue { $0 = current }
            if droppedNow > 0 {
                onDrop(droppedNow)
                logger.notice(
                    "dropped raw copies of the oldest HTTPS rejections",
                    metadata: [
                        "dropped": .stringConvertible(droppedNow), "kept_bytes": .stringConvertible(current.keptBytes),
                        "cap_bytes": .stringConvertible(current.maxBytes),
                    ])
            }
        } catch {
            logger.error("cannot cap the raw copies of rejections: \(UntrustedText.sanitised(error.message, limit: 300))")
        }
    }
}
