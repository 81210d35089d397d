import Dispatch
package import TLSRPTStore

/// Lets concurrent requests share transactions (group commit).
///
/// Each request hands over what it wants written and waits. While one transaction is being committed,
/// newcomers queue; when it ends, everything queued goes into the next transaction together, and each
/// request is answered from its own slice of the outcomes. With one request in flight this is one commit
/// per report, as before; under load the cost of a commit is shared, so throughput is not capped at one
/// commit per report, and no request is answered before its data is committed.
///
/// SQLite calls block, so commits run on a dedicated queue, off the event loops and off the cooperative
/// thread pool.
package actor GroupCommitter {
    /// What one request asks to write.
    package struct Submission: Sendable {
        package var reports: [IncomingReport]
        package var rejections: [IncomingRejection]

        package init(reports: [IncomingReport] = [], rejections: [IncomingRejection] = []) {
            self.reports = reports
            self.rejections = rejections
        }
    }

    private struct Waiter {
        var submission: Submission
        var continuation: CheckedContinuation<Result<[InsertOutcome], StoreError>, Never>
    }

    package let store: any ReportStorage
    /// A transaction takes queued submissions until it holds this many reports (at least one submission).
    package let maxReportsPerCommit: Int
    /// Transactions committed so far (for metrics and tests).
    package private(set) var transactions = 0
    private var queue: [Waiter] = []
    private var isCommitting = false
    private let commitQueue = DispatchQueue(label: "tlsrpt.group-commit")
    private let onCommit: @Sendable (_ submissions: Int, _ reports: Int) -> Void
    /// Run on the commit queue after a committed transaction that wrote rejections (and before its
    /// requests are answered), so the cap on their raw copies holds by the time anyone sees a 400.
    private let afterRejections: (@Sendable () -> Void)?
    /// Told what each committed transaction stored (alerting); it returns at once.
    private let afterCommit: CommitObserver?

    package init(
        store: any ReportStorage, maxReportsPerCommit: Int = 512,
        onCommit: @escaping @Sendable (_ submissions: Int, _ reports: Int) -> Void = { _, _ in },
        afterRejections: (@Sendable () -> Void)? = nil, afterCommit: CommitObserver? = nil
    ) {
        self.store = store
        self.maxReportsPerCommit = max(1, maxReportsPerCommit)
        self.onCommit = onCommit
        self.afterRejections = afterRejections
        self.afterCommit = afterCommit
    }

    /// Writes `submission` in the next transaction and returns its reports' outcomes, in order, once that
    /// transaction is committed.
    package func commit(_ submission: Submission) async throws(StoreError) -> [InsertOutcome] {
        let result = await withCheckedContinuation { continuation in
            queue.append(Waiter(submission: submission, continuation: continuation))
            if !isCommitting { startNextTransaction() }
        }
        return try result.get()
    }

    private func startNextTransaction() {
        guard !queue.isEmpty else {
            isCommitting = false
            return
        }
        isCommitting = true
        var taken: [Waiter] = []
        var reportCount = 0
        while let next = queue.first, taken.isEmpty || reportCount + next.submission.reports.count <= maxReportsPerCommit {
            taken.append(queue.removeFirst())
            reportCount += next.submission.reports.count
        }
        var batch = StoreBatch()
        for waiter in taken {
            batch.reports += waiter.submission.reports
            batch.rejections += waiter.submission.rejections
        }
        let store = self.store
        let transaction = batch
        let commitQueue = self.commitQueue
        let onCommit = self.onCommit
        let submissions = taken.count
        let afterRejections = transaction.rejections.isEmpty ? nil : self.afterRejections
        let afterCommit = self.afterCommit
        Task {
            let result: Result<[InsertOutcome], StoreError> = await withCheckedContinuation { continuation in
                commitQueue.async {
                    let result = Result { () throws(StoreError) in try store.commit(transaction) }
                    if case .success(let outcomes) = result {
                        afterRejections?()
                        afterCommit?(transaction.reports, outcomes)
                    }
                    continuation.resume(returning: result)
                }
            }
            onCommit(submissions, reportCount)
            self.finish(taken, result)
        }
    }

    private func finish(_ taken: [Waiter], _ result: Result<[InsertOutcome], StoreError>) {
        transactions += 1
        var offset = 0
        for waiter in taken {
            let count = waiter.submission.reports.count
            waiter.continuation.resume(returning: result.map { Array($0[offset..<offset + count]) })
            offset += count
        }
        startNextTransaction()
    }
}
