/// One way of reading the evidence: a small, separately tested unit that turns failure groups (and the
/// policies senders quoted) into findings.
///
/// A rule only reports what it can explain. Rules may overlap on the same failures when the causes are
/// different (a host outside the policy *and* without STARTTLS); where one cause explains another
/// rule's symptom, the more specific rule stands aside (see each rule's documentation).
package protocol DiagnosisRule: Sendable {
    /// A stable identifier, used in JSON and tests, e.g. `certificate-expired`.
    var id: String { get }
    func findings(in context: DiagnosisContext) -> [Finding]
}
