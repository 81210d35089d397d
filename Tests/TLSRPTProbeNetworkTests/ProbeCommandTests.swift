import Foundation
import TLSRPTTestSupport
import Testing

/// `tlsrpt probe` end to end, as issue #18's "done when" says: from the seed story's first Microsoft report,
/// the probe names the CNAME cause, and confirms the fix as soon as DNS is changed; the next summary says so.
@Suite(.serialized, .disabled(if: LoopbackWorld.toolsAbsent != nil, LoopbackWorld.toolsAbsent ?? ""))
struct ProbeCommandTests {
    let dir = TemporaryDirectory()

    func json(_ output: String) throws -> [String: Any] {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let domains = try #require(document["domains"] as? [[String: Any]])
        return try #require(domains.first)
    }

    @Test func theFirstMicrosoftReportThenTheFix() throws {
        let db = dir.file("db.sqlite")
        let report = Fixtures.samples.appendingPathComponent("microsoft-2026-11-22-example.com.eml").path
        let ingest = try TLSRPTProcess.run(["ingest", "--db", db, report])
        #expect(ingest.status == 0, "\(ingest.stderr)")

        let world = try LoopbackWorld()
        defer { world.stop() }
        try world.start(LoopbackWorld.Setup(mx1IsAlias: true))
        let seedText = try TLSRPTProcess.run(["probe", "--db", db] + world.options + ["example.com"])
        #expect(seedText.status == 3, "\(seedText.stderr)")
        #expect(seedText.stdout.contains("mx1.example.com is an alias of mail.hoster-cdn.net; the policy does not list mail.hoster-cdn.net"))
        #expect(seedText.stdout.contains("does not cover mx1.example.com"))
        #expect(seedText.stdout.contains("[present]"))
        let seed = try json(try TLSRPTProcess.run(["probe", "--db", db, "--format", "json"] + world.options + ["example.com"]).stdout)
        let seedFindings = try #require(seed["findings"] as? [[String: Any]])
        let cname = try #require(seedFindings.first { $0["rule"] as? String == "mx-not-in-policy" })
        #expect(cname["status"] as? String == "present")
        #expect(cname["check"] as? String == "policy-mx")
        #expect(cname["hosts"] as? [String] == ["mail.hoster-cdn.net"])
        let checks = try #require(seed["checks"] as? [[String: Any]])
        #expect(checks.allSatisfy { $0["name"] is String && $0["host"] is String && $0["ok"] is Bool && $0["detail"] is String })
        #expect(
            Set(checks.filter { $0["ok"] as? Bool == false }.compactMap { $0["name"] as? String }) == ["mx-alias", "policy-mx", "certificate-names"])
        let before = try TLSRPTProcess.run(["summary", "--db", db, "--all"]).stdout
        #expect(!before.contains("found this fixed"))

        // The admin points mx1.example.com at a host of its own with a certificate for that name.
        try world.start(LoopbackWorld.Setup())
        let fixed = try TLSRPTProcess.run(["probe", "--db", db, "--format", "json"] + world.options + ["example.com"])
        #expect(fixed.status == 0, "\(fixed.stdout)\(fixed.stderr)")
        let fixedFindings = try #require(try json(fixed.stdout)["findings"] as? [[String: Any]])
        #expect(fixedFindings.first { $0["rule"] as? String == "mx-not-in-policy" }?["status"] as? String == "gone")
        #expect(!fixedFindings.contains { $0["status"] as? String == "present" })

        // Words as the summary wraps them, joined again.
        let after = try TLSRPTProcess.run(["summary", "--db", db, "--all"]).stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let today = String(ISO8601DateFormatter().string(from: Date()).prefix(10))
        #expect(after.contains("The probe of \(today) found this fixed; reports will confirm."))
    }

    /// `--probe-on-alert`: the alert Microsoft's first report raises already says the cause is confirmed live.
    @Test func theAlertOfTheFirstReportSaysTheProbeConfirmedTheCause() throws {
        let world = try LoopbackWorld()
        defer { world.stop() }
        try world.start(LoopbackWorld.Setup(mx1IsAlias: true))
        let db = dir.file("db.sqlite")
        let out = dir.file("alert.json")
        let report = Fixtures.samples.appendingPathComponent("microsoft-2026-11-22-example.com.eml").path
        // The probe's options, each as --probe-*.
        let probeOptions = world.options.map { $0.hasPrefix("--") ? "--probe-" + $0.dropFirst(2) : $0 }
        let ingest = try TLSRPTProcess.run(
            ["ingest", "--db", db, "--alert-command", "cat >> '\(out)'", "--probe-on-alert"] + probeOptions + [report])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let alert = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        #expect(alert["rule"] as? String == "mx-not-in-policy")
        let probe = try #require(alert["probe"] as? [String])
        #expect(probe.first?.contains(": cause confirmed (policy-mx: mx1.example.com is an alias of mail.hoster-cdn.net") == true, "\(probe)")
        #expect(probe.contains { $0.hasPrefix("Probe check failed: certificate-names mx1.example.com") })
        // The probe recorded what it saw, as `tlsrpt probe` does: no "found this fixed" while the cause is present.
        #expect(!(try TLSRPTProcess.run(["summary", "--db", db, "--all"]).stdout.contains("found this fixed")))
        // Without an alert channel the probe has nothing to add to: a usage error.
        #expect(try TLSRPTProcess.run(["ingest", "--db", db, "--probe-on-alert", report]).status == 2)
        #expect(try TLSRPTProcess.run(["ingest", "--db", db, "--alert-command", "true", "--probe-timeout", "5", report]).status == 2)
    }

    @Test func usageErrorsExit2() throws {
        let db = dir.file("db.sqlite")
        #expect(try TLSRPTProcess.run(["probe", "--db", db]).status == 2)
        #expect(try TLSRPTProcess.run(["probe", "--db", db, "localhost"]).status == 2)
        #expect(try TLSRPTProcess.run(["probe", "--db", db, "--resolver", "dns.example:53", "example.com"]).status == 2)
        #expect(
            try TLSRPTProcess.run(["probe", "--db", db, "--ca-file", dir.file("missing.pem"), "--resolver", "127.0.0.1:53", "example.com"]).status
                == 2)
    }
}
