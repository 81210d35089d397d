import Foundation
import TLSRPTTestSupport
import Testing

/// A hosting provider's fortnight (Scripts/gen-provider-corpus): hundreds of domains behind shared MX hosts,
/// one shared MX host with an expired certificate, one shared policy host with an expired certificate, and a
/// few faults of single domains. The generator writes which findings the summary must make, computed from
/// the sessions it wrote, so these tests compare the summary with an oracle that never ran tlsrpt.
///
/// One corpus and one database serve every test of the suite: generating and ingesting 8,000 reports is the
/// slow part, and the tests only read.
@Suite(.enabled(if: ExternalTools.hasPython3, ExternalTools.python3Absent), .serialized)
struct ProviderCorpusTests {
    static let corpus = ProviderCorpus()

    @Test func oneFindingPerSharedCauseListingExactlyItsDomains() throws {
        let world = try Self.corpus.ready()
        let diagnoses = try world.diagnoses()
        let shared = try #require(world.expected["shared"] as? [[String: Any]])
        try #require(shared.count == 2, "the generator models two shared faults")
        for cause in shared {
            let rule = try #require(cause["rule"] as? String)
            let domains = try #require(cause["domains"] as? [String])
            try #require(domains.count >= 3, "too few domains for a shared cause: generate more")
            let hosts = cause["hosts"] as? [String] ?? []
            let matching = diagnoses.filter { $0["rule"] as? String == rule && ($0["domains"] as? [String] ?? []).count > 1 }
            #expect(matching.count == 1, "\(rule): \(matching.count) shared findings")
            guard let finding = matching.first else { continue }
            #expect(finding["domains"] as? [String] == domains, "\(rule)")
            #expect(finding["domain"] is NSNull, "a finding of \(domains.count) domains names no single domain")
            #expect(finding["hosts"] as? [String] == hosts, "\(rule)")
            #expect((finding["failed_sessions"] as? NSNumber)?.int64Value == (cause["failed_sessions"] as? NSNumber)?.int64Value, "\(rule)")
            #expect(finding["first_seen"] as? String == cause["since"] as? String, "\(rule)")
            // No other finding repeats the shared cause for one of its domains.
            let repeated = diagnoses.filter {
                $0["rule"] as? String == rule && ($0["domains"] as? [String] ?? []).count == 1
                    && domains.contains(($0["domains"] as? [String] ?? [])[0])
            }
            #expect(repeated.isEmpty, "\(rule) repeated per domain for \(repeated.compactMap { $0["domain"] as? String })")
        }
    }

    @Test func eachDomainSpecificFaultIsItsOwnFinding() throws {
        let world = try Self.corpus.ready()
        let diagnoses = try world.diagnoses()
        let specific = try #require(world.expected["specific"] as? [[String: Any]])
        try #require(specific.count >= 10, "the generator models 13 faults of single domains at this size")
        for fault in specific {
            let rule = try #require(fault["rule"] as? String)
            let domain = try #require(fault["domain"] as? String)
            let found = diagnoses.filter { $0["rule"] as? String == rule && $0["domains"] as? [String] == [domain] }
            #expect(found.count == 1, "\(rule) on \(domain): \(found.count) findings")
            guard let finding = found.first else { continue }
            #expect((finding["failed_sessions"] as? NSNumber)?.int64Value == (fault["failed_sessions"] as? NSNumber)?.int64Value, "\(rule) on \(domain)")
            #expect(finding["first_seen"] as? String == fault["since"] as? String, "\(rule) on \(domain)")
            #expect(finding["hosts"] as? [String] == fault["hosts"] as? [String], "\(rule) on \(domain)")
        }
        // Every failed session belongs to one fault of the scenario, so the findings account for all of them.
        let totals = try #require(world.expected["totals"] as? [String: Any])
        let counted = diagnoses.reduce(Int64(0)) { $0 + ((($1["failed_sessions"] as? NSNumber)?.int64Value) ?? 0) }
        #expect(counted == (totals["failed"] as? NSNumber)?.int64Value)
    }

    @Test func noCleanDomainIsNamedByAnyFinding() throws {
        let world = try Self.corpus.ready()
        let failing = Set(try #require(world.expected["failing_domains"] as? [String]))
        for finding in try world.diagnoses() {
            let named = Set(finding["domains"] as? [String] ?? [])
            #expect(named.isSubset(of: failing), "\(finding["rule"] ?? "?") names clean domains \(named.subtracting(failing).sorted())")
        }
    }

    @Test func theTextDigestPutsTheSharedHostFirstAndStaysShort() throws {
        let world = try Self.corpus.ready()
        let text = try TLSRPTProcess.run(["summary", "--db", world.database, "--all"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.utf8.count < 100_000)
        let broken = try #require((world.expected["scenario"] as? [String: Any])?["broken_mx_host"] as? String)
        let fix = try #require(text.stdout.range(of: "What to fix"))
        let afterFix = text.stdout[fix.upperBound...]
        let first = try #require(afterFix.range(of: "\n1. "))
        let second = afterFix.range(of: "\n2. ")?.lowerBound ?? afterFix.endIndex
        let firstProblem = afterFix[first.lowerBound..<second]
        #expect(firstProblem.contains(broken), "first problem: \(firstProblem)")
        let mxDomains = try #require((world.expected["shared"] as? [[String: Any]])?.first { $0["rule"] as? String == "certificate-expired" }?["domains"] as? [String])
        #expect(text.stdout.contains("\(mxDomains.count) domains"), "the shared host's domains are counted")
    }

    @Test func perDomainDigestsOnlyForFailingDomainsEachNamingOnlyItsOwn() throws {
        let world = try Self.corpus.ready()
        let folder = world.dir.file("digests")
        let run = try TLSRPTProcess.run(["summary", "--db", world.database, "--all", "--per-domain", folder, "--quiet-if-clean"])
        #expect(run.status == 0, "\(run.stderr)")
        let failing = try #require(world.expected["failing_domains"] as? [String])
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(files == failing.map { "\($0).txt" }.sorted())
        let everyDomain = try world.allDomains()
        for file in files {
            let own = String(file.dropLast(".txt".count))
            let text = try String(contentsOfFile: "\(folder)/\(file)", encoding: .utf8)
            #expect(text.contains(own), "\(file) does not name its domain")
            // A word of the digest that is another customer's domain would leak it.
            let words = Set(text.split { !($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ".")) })
            let others = words.intersection(everyDomain).subtracting([own])
            #expect(others.isEmpty, "\(file) names \(others.sorted())")
        }
    }

    @Test func theMailScriptSendsEachFailingDomainItsOwnDigest() throws {
        let world = try Self.corpus.ready()
        let failing = try #require(world.expected["failing_domains"] as? [String])
        let outbox = world.dir.file("outbox")
        try FileManager.default.createDirectory(atPath: outbox, withIntermediateDirectories: true)
        // A stand-in sendmail: each message to a file of its own, its recipients on the first line.
        let sendmail = world.dir.file("sendmail")
        try "#!/bin/sh\nshift\nshift\nf=$(mktemp \"\(outbox)/mail.XXXXXX\")\n{ echo \"RCPT $*\"; cat; } > \"$f\"\n".write(toFile: sendmail, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: sendmail)
        let mapping = world.dir.file("customers")
        let special = failing[0]
        try "# customers\n\(special) first@\(special),second@\(special)\n* noc@provider.example\n".write(toFile: mapping, atomically: true, encoding: .utf8)
        let script = Fixtures.repositoryRoot.appendingPathComponent("Scripts/tlsrpt-mail-per-domain").path
        let run = try ProcessRunner.run(
            URL(fileURLWithPath: script), [mapping],
            environment: [
                "TLSRPT": TLSRPTProcess.executable.path, "TLSRPT_DB": world.database, "SENDMAIL": sendmail,
                "TLSRPT_SINCE": "\(try world.daysSinceFirstDay())d",
            ])
        #expect(run.status == 0, "\(run.stderr)")
        let messages = try FileManager.default.contentsOfDirectory(atPath: outbox).map {
            try String(contentsOfFile: "\(outbox)/\($0)", encoding: .utf8)
        }
        #expect(messages.count == failing.count)
        func subjectDomain(_ message: String) -> String? {
            message.split(separator: "\n").first { $0.hasPrefix("Subject: ") }.flatMap { $0.split(separator: " ").dropFirst(5).first.map(String.init) }
        }
        #expect(messages.compactMap(subjectDomain).sorted() == failing, "one mail per failing domain, named in its Subject")
        for message in messages {
            let domain = subjectDomain(message) ?? "?"
            let recipients = message.prefix { $0 != "\n" }
            #expect(recipients == (domain == special ? "RCPT first@\(special) second@\(special)" : "RCPT noc@provider.example"), "\(domain)")
        }
    }
}

/// The generated corpus, its oracle and the database it was ingested into, made once on first use.
final class ProviderCorpus: @unchecked Sendable {
    struct World {
        let dir: TemporaryDirectory
        let database: String
        let expected: [String: Any]

        func diagnoses() throws -> [[String: Any]] {
            let run = try TLSRPTProcess.run(["summary", "--db", database, "--all", "--format", "json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stderr)")
            return try #require(object["diagnoses"] as? [[String: Any]])
        }

        /// Every policy domain of the corpus, failing or clean, as the summary lists them.
        func allDomains() throws -> Set<String> {
            let run = try TLSRPTProcess.run(["summary", "--db", database, "--all", "--format", "json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            let domains = Set((object["policy_domains"] as? [[String: Any]] ?? []).compactMap { $0["domain"] as? String })
            try #require(domains.count == (expected["domains"] as? Int))
            return domains
        }

        /// How many days back from now the corpus starts, for a `--since Nd` that covers all of it.
        func daysSinceFirstDay() throws -> Int {
            let from = try #require(expected["from"] as? String)
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withFullDate]
            let first = try #require(formatter.date(from: from))
            return Int(Date().timeIntervalSince(first) / 86_400) + 2
        }
    }

    private let lock = NSLock()
    private var world: Result<World, any Error>?

    func ready() throws -> World {
        lock.lock()
        defer { lock.unlock() }
        if world == nil { world = Result { try Self.make() } }
        return try world!.get()
    }

    private static func make() throws -> World {
        let dir = TemporaryDirectory("tlsrpt-provider")
        let corpus = dir.file("corpus")
        let expectedFile = dir.file("expected.json")
        let script = Fixtures.repositoryRoot.appendingPathComponent("Scripts/gen-provider-corpus").path
        // 250 domains over 10 days: enough for the shared sets to hold well over three domains each.
        let generated = try ProcessRunner.run(
            command: "python3", [script, "--out", corpus, "--domains", "250", "--days", "10", "--seed", "3", "--expected", expectedFile, "--quiet"])
        try #require(generated.status == 0, "\(generated.stderr)")
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: expectedFile))) as? [String: Any])
        let database = dir.file("provider.sqlite")
        let ingest = try TLSRPTProcess.run(["ingest", "--db", database, "--json", corpus])
        try #require(ingest.status == 0, "\(ingest.stderr)")
        let tally = try #require(try JSONSerialization.jsonObject(with: Data(ingest.stdout.utf8)) as? [String: Any])
        try #require(tally["ingested"] as? Int == expected["reports"] as? Int)
        return World(dir: dir, database: database, expected: expected)
    }
}
