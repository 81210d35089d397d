/// Told what a commit stored, once its transaction is committed: the batch's reports and their outcomes, in
/// order. Called on the committing thread, so it must return at once (hand the work to another thread):
/// whatever it does must never delay or fail storing. Alerting (issue #16) is the one observer today.
package typealias CommitObserver = @Sendable (_ reports: [IncomingReport], _ outcomes: [InsertOutcome]) -> Void
