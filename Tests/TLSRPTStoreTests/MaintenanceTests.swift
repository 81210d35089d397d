import Foundation
import GRDB
import TLSRPTCore
import Testing

@testable import TLSRPTStore

/// `prune` and `backup` against real SQLite files in a fresh temporary folder per test. Expected numbers
/// are counted by hand from the reports built below, and checked with plain SQL, not with the code under test.
struct MaintenanceTests {
    /// A report for `day` (its date range is that whole UTC day) with one policy per entry of `failures`,
    /// each policy with that many failure details.
    static func report(id: String, day: String, failures: [Int], domain: String = "example.com") throws -> IncomingReport {
        let policies = failures.enumerated().map { index, count in
            let details = (0..<count).map { n in
                #"{"result-type":"certificate-expired","sending-mta-ip":"192.0.2.\#(n + 1)","receiving-mx-hostname":"mx\#(index).\#(domain)","failed-session-count":\#(n + 1)}"#
            }
            return #"""
                {"policy":{"policy-type":"\#(index == 0 ? "sts" : "tlsa")","policy-domain":"\#(domain)"},
                 "summary":{"total-successful-session-count":10,"total-failure-session-count":\#(count)},
                 "failure-details":[\#(details.joined(separator: ","))]}
                """#
        }
        let json = #"""
            {"organization-name":"Google Inc.","date-range":{"start-datetime":"\#(day)T00:00:00Z","end-datetime":"\#(day)T23:59:59Z"},
             "contact-info":"x@google.com","report-id":"\#(id)","policies":[\#(policies.joined(separator: ","))]}
            """#
        let decoded = try ReportDecoder().decode(Array(json.utf8))
        return IncomingReport(decoded: decoded, rawGzip: [0x1f, 0x8b], provenance: Provenance(channel: .file, name: "\(id).json"))
    }

    static func temporaryFolder() throws -> String {
        let path = NSTemporaryDirectory() + "tlsrpt-maintenance-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Counts rows with SQL of its own, on a separate connection.
    static func counts(_ path: String) throws -> [String: Int] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            var counts: [String: Int] = [:]
            for table in ["report", "policy", "failure", "rejection", "seen_input"] {
                counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)")
            }
            return counts
        }
    }

    static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    /// Three reports: January (2 policies; 2 + 1 failure details), 1 March (1 policy, 1 detail), June
    /// (1 policy, none); one rejection recorded on 2026-02-01 and one input hash.
    static func seededStore(in folder: String) throws -> ReportStore {
        let store = try ReportStore(path: "\(folder)/tlsrpt.sqlite")
        var batch = StoreBatch()
        batch.reports = [
            try report(id: "jan", day: "2026-01-10", failures: [2, 1]),
            try report(id: "mar", day: "2026-03-01", failures: [1]),
            try report(id: "jun", day: "2026-06-01", failures: [0]),
        ]
        batch.rejections = [
            IncomingRejection(
                provenance: Provenance(channel: .stdin, name: "-"), reason: "not JSON", keptAt: nil, raw: Array("junk".utf8),
                inputHash: [1, 2, 3])
        ]
        batch.seenInputs = [([9, 9, 9], .stored)]
        try store.commit(batch, now: date("2026-02-01T12:00:00Z"))
        return store
    }

    @Test func seedIsWhatTheTestsAssume() throws {
        let folder = try Self.temporaryFolder()
        _ = try Self.seededStore(in: folder)
        #expect(try Self.counts("\(folder)/tlsrpt.sqlite") == ["report": 3, "policy": 4, "failure": 4, "rejection": 1, "seen_input": 1])
    }

    @Test func pruneDeletesReportsWhoseRangeEndedBeforeTheCutoffWithTheirPoliciesAndFailures() throws {
        let folder = try Self.temporaryFolder()
        let store = try Self.seededStore(in: folder)
        // The March report ends 2026-03-01T23:59:59Z, after this cutoff: only January goes.
        let result = try store.prune(olderThan: Self.date("2026-03-01T00:00:00Z"))
        #expect(result == PruneResult(reports: 1, policies: 2, failures: 3, rejections: 0))
        #expect(try Self.counts(store.path) == ["report": 2, "policy": 2, "failure": 1, "rejection": 1, "seen_input": 1])
        #expect(try store.reports(ReportFilter()).map(\.reportID) == ["mar", "jun"])
    }

    @Test func pruneCutoffIsStrictlyBeforeTheEnd() throws {
        let folder = try Self.temporaryFolder()
        let store = try Self.seededStore(in: folder)
        // Exactly at March's end: March stays (end < cutoff is false); one second later it goes.
        #expect(try store.prune(olderThan: Self.date("2026-03-01T23:59:59Z")).reports == 1)
        #expect(try store.prune(olderThan: Self.date("2026-03-02T00:00:00Z")).reports == 1)
        #expect(try store.reports(ReportFilter()).map(\.reportID) == ["jun"])
    }

    @Test func pruneKeepsRejectionsUnlessAsked() throws {
        let folder = try Self.temporaryFolder()
        let store = try Self.seededStore(in: folder)
        let everything = Self.date("2027-01-01T00:00:00Z")
        #expect(try store.prune(olderThan: everything) == PruneResult(reports: 3, policies: 4, failures: 4, rejections: 0))
        #expect(try store.rejections().count == 1)
        // The rejection was recorded on 2026-02-01: a cutoff before that keeps it even with --include-rejects.
        #expect(try store.prune(olderThan: Self.date("2026-01-15T00:00:00Z"), includeRejects: true).rejections == 0)
        #expect(try store.prune(olderThan: everything, includeRejects: true, vacuum: true).rejections == 1)
        #expect(try Self.counts(store.path) == ["report": 0, "policy": 0, "failure": 0, "rejection": 0, "seen_input": 1])
    }

    @Test func dryRunCountsAndDeletesNothing() throws {
        let folder = try Self.temporaryFolder()
        let store = try Self.seededStore(in: folder)
        let result = try store.prune(olderThan: Self.date("2027-01-01T00:00:00Z"), includeRejects: true, dryRun: true)
        #expect(result == PruneResult(reports: 3, policies: 4, failures: 4, rejections: 1))
        #expect(try Self.counts(store.path) == ["report": 3, "policy": 4, "failure": 4, "rejection": 1, "seen_input": 1])
    }

    @Test func backupIsACompleteSelfContainedCopy() throws {
        let folder = try Self.temporaryFolder()
        let store = try Self.seededStore(in: folder)
        let destination = "\(folder)/copy.sqlite"
        let result = try store.backup(to: destination)
        #expect(result.reports == 3)
        #expect(result.bytes > 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("copy") }
        #expect(files == ["copy.sqlite"])  // no -wal, -shm or .partial left beside it
        let mode = try FileManager.default.attributesOfItem(atPath: destination)[.posixPermissions] as? Int
        #expect(mode == 0o600 || mode == 0o660, "a backup is as private as the database: \(String(mode ?? 0, radix: 8))")
        #expect(try Self.counts(destination) == ["report": 3, "policy": 4, "failure": 4, "rejection": 1, "seen_input": 1])
        // The copy opens as a store of its own, with the same reports.
        let copy = try ReportStore(path: destination)
        #expect(try copy.reports(ReportFilter()).map(\.reportID) == ["jan", "mar", "jun"])
    }

    @Test func backupRefusesToReplaceAnExistingFileUnlessAsked() throws {
        let folder = try Self.temporaryFolder()
        let store = try Self.seededStore(in: folder)
        let destination = "\(folder)/copy.sqlite"
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: destination))
        #expect(throws: StoreError(.cannotWrite, "")) { try store.backup(to: destination) }
        #expect(try String(contentsOfFile: destination, encoding: .utf8) == "keep me")
        #expect(try store.backup(to: destination, overwrite: true).reports == 3)
    }

    @Test func backupSeesCommittedWritesAfterTheStoreWasOpened() throws {
        let folder = try Self.temporaryFolder()
        let store = try Self.seededStore(in: folder)
        var batch = StoreBatch()
        batch.reports = [try Self.report(id: "jul", day: "2026-07-01", failures: [1])]
        try store.commit(batch)
        #expect(try store.backup(to: "\(folder)/copy.sqlite").reports == 4)
    }
}
