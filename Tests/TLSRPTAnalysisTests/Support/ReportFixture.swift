import Foundation
import TLSRPTAnalysis
import TLSRPTCore
import TLSRPTProcessing
import TLSRPTStore

/// Builds RFC 8460 report JSON for tests, shaped like real senders' reports.
struct ReportFixture {
    struct Failure {
        var resultType: String
        var host: String?
        var count: Int64
        var receivingIP: String? = "192.0.2.10"
        var sendingIP: String? = "203.0.113.5"
        var reason: String? = nil
        var additional: String? = nil
    }

    struct PolicyEntry {
        var type = "sts"
        var domain: String? = "example.com"
        var strings: [String] = ReportFixture.enforcePolicy
        var successful: Int64
        var failed: Int64
        var failures: [Failure] = []
    }

    static let enforcePolicy = ["version: STSv1", "mode: enforce", "mx: mx1.example.com", "mx: mx2.example.com", "max_age: 604800"]

    var organization: String
    var reportID: String
    /// `YYYY-MM-DD`: the report covers that UTC day.
    var day: String
    var policies: [PolicyEntry]
    /// `YYYY-MM-DD`: when set, the report covers the days from `day` to this one.
    var lastDay: String? = nil

    var json: String {
        var policyObjects: [[String: Any]] = []
        for entry in policies {
            var policy: [String: Any] = ["policy-type": entry.type]
            if let domain = entry.domain { policy["policy-domain"] = domain }
            if !entry.strings.isEmpty { policy["policy-string"] = entry.strings }
            var object: [String: Any] = [
                "policy": policy,
                "summary": ["total-successful-session-count": entry.successful, "total-failure-session-count": entry.failed],
            ]
            if !entry.failures.isEmpty {
                object["failure-details"] = entry.failures.map { failure -> [String: Any] in
                    var detail: [String: Any] = ["result-type": failure.resultType, "failed-session-count": failure.count]
                    if let host = failure.host { detail["receiving-mx-hostname"] = host }
                    if let ip = failure.receivingIP { detail["receiving-ip"] = ip }
                    if let ip = failure.sendingIP { detail["sending-mta-ip"] = ip }
                    if let reason = failure.reason { detail["failure-reason-code"] = reason }
                    if let additional = failure.additional { detail["additional-information"] = additional }
                    return detail
                }
            }
            policyObjects.append(object)
        }
        let report: [String: Any] = [
            "organization-name": organization,
            "date-range": ["start-datetime": "\(day)T00:00:00Z", "end-datetime": "\(lastDay ?? day)T23:59:59Z"],
            "contact-info": "reports@\(organization.lowercased().filter(\.isLetter)).example",
            "report-id": reportID,
            "policies": policyObjects,
        ]
        let data = try! JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// The seven days from `first` (YYYY-MM-DD), as report days.
    static func week(from first: String) -> [String] {
        let start = RFC3339Date.parse(first + "T00:00:00Z")!.date
        return (0..<7).map { RFC3339Date.day(start.addingTimeInterval(Double($0) * 86_400)) }
    }
}

/// A fresh SQLite store in a temporary folder, filled through the real ingest path.
struct TestStore {
    let folder: URL
    let store: ReportStore

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("tlsrpt-analysis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        store = try ReportStore(path: folder.appendingPathComponent("test.sqlite").path)
    }

    func ingest(_ fixtures: [ReportFixture]) throws {
        var batch = StoreBatch()
        for (index, fixture) in fixtures.enumerated() {
            let result = InputProcessor().process(Array(fixture.json.utf8), provenance: Provenance(channel: .file, name: "fixture-\(index).json"))
            precondition(result.problems.isEmpty, "fixture rejected: \(result.problems)")
            batch.reports.append(contentsOf: result.reports)
        }
        try store.commit(batch)
    }

    func remove() {
        try? FileManager.default.removeItem(at: folder)
    }
}

/// Dates used by the fixtures.
enum Day {
    static func date(_ day: String) -> Date { RFC3339Date.parse(day + "T00:00:00Z")!.date }
    /// The week of the seed story, [2026-11-22, 2026-11-29).
    static let storyWeek = ReportPeriod.between(from: date("2026-11-22"), to: date("2026-11-29"))
}
