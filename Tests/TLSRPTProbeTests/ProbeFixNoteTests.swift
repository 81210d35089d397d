import Foundation
import TLSRPTAnalysis
import TLSRPTStore
import Testing

/// The summary's note for a finding a probe found fixed, and its retreat once a later report shows it again.
struct ProbeFixNoteTests {
    let probedAt = ProbeScenarios.now

    func status(_ value: String, hosts: [String] = ["mail.hoster-cdn.net"]) -> ProbeStatusRecord {
        ProbeStatusRecord(rule: "mx-not-in-policy", domain: "example.com", hosts: hosts, status: value, check: "mx", detail: "", probedAt: probedAt)
    }

    @Test func aGoneFindingGetsTheNote() {
        var findings = [ProbeScenarios.finding("mx-not-in-policy", hosts: ["mail.hoster-cdn.net"])]
        ProbeFixNote.apply([status("gone")], to: &findings)
        #expect(findings[0].notes == ["The probe of 2026-12-02 found this fixed; reports will confirm."])
    }

    @Test func aPresentOrOtherFindingGetsNone() {
        var findings = [ProbeScenarios.finding("mx-not-in-policy", hosts: ["mail.hoster-cdn.net"])]
        ProbeFixNote.apply([status("present")], to: &findings)
        ProbeFixNote.apply([status("gone", hosts: ["mx9.example.com"])], to: &findings)
        #expect(findings[0].notes.isEmpty)
    }

    @Test func aReportAfterTheProbeWithdrawsTheNote() {
        var findings = [ProbeScenarios.finding("mx-not-in-policy", hosts: ["mail.hoster-cdn.net"], lastSeen: probedAt.addingTimeInterval(3600))]
        ProbeFixNote.apply([status("gone")], to: &findings)
        #expect(findings[0].notes.isEmpty)
    }
}
