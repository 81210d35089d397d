package import TLSRPTAnalysis

/// Whether the cause of a stored finding is still there, as the probe sees it now.
package struct FindingStatus: Sendable, Equatable {
    package enum Status: String, Sendable {
        /// The check that decides the finding fails: the cause is still there.
        case present
        /// The check passes, or the host the reports name is no longer in the domain's DNS: reports will confirm.
        case gone
        /// No live check decides this kind of finding (a sender-only remark, an unknown result type), or the
        /// check could not run (the MX did not answer): neither present nor gone.
        case unchecked
    }

    package var finding: Finding
    package var status: Status
    /// The name of the check that decides it (``ProbeCheck/name``), or `none`.
    package var check: String
    /// Why, in one sentence.
    package var detail: String

    package init(finding: Finding, status: Status, check: String, detail: String) {
        self.finding = finding
        self.status = status
        self.check = check
        self.detail = detail
    }
}
