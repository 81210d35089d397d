import Foundation
import TLSRPTCore
import TLSRPTExtract
import TLSRPTPostgres
import TLSRPTStore
import TLSRPTTestSupport
import Testing

/// The two stores behind ``ReportStorage``: a fresh SQLite file in a temporary folder, or a fresh database on
/// the throw-away PostgreSQL server (Tests/Support/PostgresTestServer.swift).
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    var testDescription: String { rawValue }

    /// Both, or SQLite alone when no PostgreSQL server can be started here (the self-check suite
    /// `PostgresTestServerTests` then shows as skipped, with the reason; CI requires the server).
    static var available: [Backend] { PostgresTestServer.unavailableReason == nil ? allCases : [.sqlite] }

    func makeStore(_ dir: TemporaryDirectory) throws -> any ReportStorage {
        switch self {
        case .sqlite: try ReportStore(path: dir.file("db.sqlite"))
        case .postgres: try PostgresReportStore(url: try PostgresURL(try PostgresTestServer.shared.makeDatabase()))
        }
    }
}

/// The semantics every backend keeps (issue #17: "the same store test suite runs against both backends").
/// Each expected number is worked out by hand from the reports the test builds.
struct StoreContractTests {
    let dir = TemporaryDirectory()

    static func incoming(_ bytes: [UInt8], name: String = "r.json") throws -> IncomingReport {
        IncomingReport(
            decoded: try ReportDecoder().decode(bytes), rawGzip: Gzip.compress(bytes), provenance: Provenance(channel: .file, name: name))
    }

    /// A Google report for example.com with `successful` and `failed` sessions and one failure detail.
    static func report(
        id: String = "r1", day: Int = 22, successful: Int = 5, failed: Int = 1, contact: String = "x@google.com", domain: String = "example.com",
        organization: String = "Google Inc.", mx: String = "mx1.example.com", resultType: String = "certificate-expired"
    ) -> [UInt8] {
        let detail =
            failed == 0
            ? ""
            : #","failure-details":[{"result-type":"\#(resultType)","sending-mta-ip":"192.0.2.1","receiving-mx-hostname":"\#(mx)","receiving-ip":"198.51.100.7","failed-session-count":\#(failed)}]"#
        let day = day < 10 ? "0\(day)" : "\(day)"
        return reportJSON(
            organization: "\"\(organization)\"", reportID: "\"\(id)\"", start: "2026-11-\(day)T00:00:00Z", end: "2026-11-\(day)T23:59:59Z",
            contact: "\"\(contact)\"",
            policies:
                #"[{"policy":{"policy-type":"sts","policy-domain":"\#(domain)","policy-string":["version: STSv1","mode: enforce","mx: mx1.example.com","max_age: 86400"]},"summary":{"total-successful-session-count":\#(successful),"total-failure-session-count":\#(failed)}\#(detail)}]"#
        )
    }

    @discardableResult
    static func commit(_ store: any ReportStorage, _ reports: [[UInt8]]) throws -> [InsertOutcome] {
        var batch = StoreBatch()
        batch.reports = try reports.map { try incoming($0) }
        return try store.commit(batch)
    }

    static func date(_ text: String) throws -> Date { try #require(RFC3339Date.parse(text)).date }

    @Test(arguments: Backend.available)
    func theSameReportTwiceIsStoredOnceInOneBatchAndAcrossBatches(_ backend: Backend) throws {
        let store = try backend.makeStore(dir)
        let compact = Self.report()
        let pretty = Array(String(decoding: compact, as: UTF8.self).replacingOccurrences(of: ",", with: ",\n  ").utf8)
        let outcomes = try Self.commit(store, [compact, pretty])
        guard case .stored(let id, false) = outcomes[0] else { Issue.record("\(outcomes)"); return }
        #expect(outcomes[1] == .duplicate(id: id))
        #expect(try Self.commit(store, [pretty]) == [.duplicate(id: id)])
        #expect(try store.reports(ReportFilter()).count == 1)
        #expect(try store.counts() == (1, 1, 1, 0))
        #expect(try store.check() == [])
    }

    /// Two versions of one identity: both kept and flagged, the heavier (more sessions) counts, whatever
    /// order they arrive in, in one batch or two.
    @Test(arguments: Backend.available, [false, true])
    func ofTwoVersionsTheHeavierCountsInEitherOrder(_ backend: Backend, heavierFirst: Bool) throws {
        let store = try backend.makeStore(dir)
        let light = Self.report(successful: 5, failed: 1)
        let heavy = Self.report(successful: 50, failed: 10, contact: "y@google.com")
        let ordered = heavierFirst ? [heavy, light] : [light, heavy]
        let first = try Self.commit(store, [ordered[0]])
        let second = try Self.commit(store, [ordered[1]])
        guard case .stored(_, false) = first[0], case .stored(_, true) = second[0] else { Issue.record("\(first) \(second)"); return }
        let rows = try store.reports(ReportFilter())
        #expect(rows.count == 2 && rows.allSatisfy(\.conflict))
        #expect(rows.filter(\.counts).map(\.successful) == [50])
        let cells = try store.summaryCells(ReportFilter())
        #expect(cells.reportsBySender == ["Google Inc.": 1])
        #expect(cells.sessions.map { [$0.successful, $0.failed] } == [[50, 10]])
        #expect(cells.failures.map(\.failed) == [10])
        #expect(try store.check() == [])

        // The same pair in one batch, in another database.
        let other = try backend.makeStore(TemporaryDirectory())
        let together = try Self.commit(other, ordered)
        guard case .stored(_, false) = together[0], case .stored(_, true) = together[1] else { Issue.record("\(together)"); return }
        #expect(try other.reports(ReportFilter()).filter(\.counts).map(\.successful) == [50])
        #expect(try other.reports(ReportFilter()).allSatisfy(\.conflict))
        #expect(try other.check() == [])
    }

    @Test(arguments: Backend.available)
    func theSameReportIDFromAnotherSenderOrForAnotherDayIsAnotherReport(_ backend: Backend) throws {
        let store = try backend.makeStore(dir)
        let outcomes = try Self.commit(store, [Self.report(), Self.report(organization: "Microsoft Corporation"), Self.report(day: 23)])
        #expect(outcomes.allSatisfy { if case .stored(_, false) = $0 { true } else { false } })
        #expect(try store.summaryCells(ReportFilter()).reportsBySender == ["Google Inc.": 2, "Microsoft Corporation": 1])
    }

    /// Names are written by strangers: a report-id, an organisation and a domain of 10,000 characters each are
    /// stored, found again as duplicates, and summed like any other.
    @Test(arguments: Backend.available)
    func aReportWithHugeNamesIsStoredAndRecognisedAgain(_ backend: Backend) throws {
        let store = try backend.makeStore(dir)
        var random = SystemRandomNumberGenerator()
        let huge = { (suffix: String) in String((0..<10_000).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement(using: &random)! }) + suffix }
        let (id, organization, domain) = (huge(""), huge(" Mail"), huge(".example"))
        let bytes = Self.report(id: id, domain: domain, organization: organization)
        guard case .stored(let stored, false) = try Self.commit(store, [bytes])[0] else { Issue.record("not stored"); return }
        #expect(try Self.commit(store, [bytes]) == [.duplicate(id: stored)])
        #expect(try store.summaryCells(ReportFilter(domain: domain)).sessions.map { [$0.successful, $0.failed] } == [[5, 1]])
        #expect(try store.check() == [])
    }

    /// A report the database refuses costs only its own input: the second of three breaks the `failed >= 0`
    /// CHECK (the decoder never lets that through, so it stands for any report a database refuses).
    @Test(arguments: Backend.available)
    func aRefusedReportIsRecordedAsARejectionOfItsInputAndTheOthersAreStored(_ backend: Backend) throws {
        let store = try backend.makeStore(dir)
        var batch = StoreBatch()
        for index in 0..<3 {
            let json = HostileCounts.good(reportID: "r\(index)")
            var decoded = try ReportDecoder().decode(json)
            if index == 1 { decoded.report.policies[0].summary.failed = -1 }
            batch.reports.append(
                IncomingReport(decoded: decoded, rawGzip: Gzip.compress(json), provenance: Provenance(channel: .file, name: "input-\(index)")))
            batch.origins.append(ReportOrigin(inputHash: [UInt8(index), 0xAA], keptAtIfRejected: "rejected-\(index)", keptAtIfStored: "stored-\(index)"))
            batch.seenInputs.append(([UInt8(index), 0xAA], .stored))
        }
        let outcomes = try store.commit(batch)
        guard outcomes.count == 3, case .stored = outcomes[0], case .rejected(let reason) = outcomes[1], case .stored = outcomes[2] else {
            Issue.record("\(outcomes)")
            return
        }
        #expect(reason.hasPrefix("the database refused the report Google Inc. r1: ") && !reason.contains("\n"), "\(reason)")
        #expect(reason.lowercased().contains("check constraint"), "\(reason)")
        #expect(try store.counts().reports == 2)
        let rejections = try store.rejections()
        #expect(rejections.map(\.sourceName) == ["input-1"] && rejections.map(\.reason) == [reason] && rejections.map(\.keptAt) == ["rejected-1"])
        #expect(try store.seenInputs([[0, 0xAA], [1, 0xAA], [2, 0xAA]]) == [[0, 0xAA]: .stored, [1, 0xAA]: .rejected, [2, 0xAA]: .stored])
        #expect(try store.check() == [])
    }

    @Test(arguments: Backend.available)
    func microsoftsSTSAndTLSAForTheSameSessionsCountOnce(_ backend: Backend) throws {
        let store = try backend.makeStore(dir)
        try Self.commit(store, [try Fixtures.bytes("microsoft-sts-tlsa.json")])
        // Tests/Fixtures/microsoft-sts-tlsa.json: sts 2/0 and tlsa 2/0 for example.net, 2026-05-23 (one whole day).
        #expect(
            try store.summaryCells(ReportFilter()).sessions == [
                .init(
                    sender: "Microsoft Corporation", domain: "example.net", reports: 1, successful: 2, failed: 0, firstStart: 1_779_494_400,
                    lastEnd: 1_779_580_799)
            ])
        #expect(try store.counts() == (1, 2, 0, 0))
        #expect(try store.check() == [])
    }

    @Test(arguments: Backend.available)
    func periodsAreHalfOpenAndDomainAndSenderFilter(_ backend: Backend) throws {
        let store = try backend.makeStore(dir)
        try Self.commit(store, (20...24).map { Self.report(id: "g-\($0)", day: $0, successful: 10, failed: 0) })
        try Self.commit(store, [Self.report(id: "o-22", day: 22, successful: 7, failed: 0, domain: "other.example")])
        let filter = ReportFilter(from: try Self.date("2026-11-21T00:00:00Z"), to: try Self.date("2026-11-23T00:00:00Z"))
        let cells = try store.summaryCells(filter)
        // The 21st and 22nd of example.com, the 22nd of other.example; the 23rd starts at `to`.
        #expect(cells.reportsBySender == ["Google Inc.": 3])
        #expect(Dictionary(uniqueKeysWithValues: cells.sessions.map { ($0.domain ?? "", $0.successful) }) == ["example.com": 20, "other.example": 7])
        #expect(try store.summaryCells(ReportFilter(domain: "other.example")).sessions.map(\.successful) == [7])
        var set = ReportFilter()
        set.domains = ["other.example", "nowhere.example"]
        #expect(try store.summaryCells(set).sessions.map(\.successful) == [7])
        #expect(try store.reports(set).map(\.reportID) == ["o-22"])
        set.domains = []
        #expect(try store.summaryCells(set).sessions.isEmpty)
        #expect(try store.summaryCells(ReportFilter(sender: "GOOGLE inc.")).reportsBySender == ["Google Inc.": 6])
        #expect(try store.summaryCells(ReportFilter(sender: "google")).reportsBySender.isEmpty)
        let daily = try store.dailyTotals(filter)
        #expect(daily.map { "\($0.domain ?? "-") \(Int($0.day.timeIntervalSince1970) / 86_400) \($0.successful)" } == [
            "example.com 20778 10", "example.com 20779 10", "other.example 20779 7",
        ])
    }

    /// "Since" is the first report of a failure group in the whole store, not the start of the period.
    @Test(arguments: Backend.available)
    func evidenceSaysSinceWhenAProblemLastsAndCountsOnce(_ backend: Backend) throws {
        let store = try backend.makeStore(dir)
        try Self.commit(store, [Self.report(id: "a", day: 10, successful: 9, failed: 1), Self.report(id: "b", day: 21, failed: 3)])
        try Self.commit(store, [Self.report(id: "c", day: 22, failed: 4), Self.report(id: "d", day: 22, failed: 2, mx: "mx2.example.com")])
        let evidence = try store.evidenceRows(ReportFilter(from: try Self.date("2026-11-20T00:00:00Z"), to: try Self.date("2026-11-23T00:00:00Z")))
        let mx1 = try #require(evidence.failures.first { $0.mxHost == "mx1.example.com" })
        #expect(mx1.failed == 7 && mx1.countedFailed == 7 && mx1.reports == 2)
        #expect(mx1.firstStart == 1_795_219_200)  // 2026-11-21
        #expect(mx1.firstStartEver == 1_794_268_800)  // 2026-11-10, before the period
        #expect(mx1.lastEnd == 1_795_391_999)  // the end of 2026-11-22
        #expect(mx1.receivingIPs == ["198.51.100.7"])
        let mx2 = try #require(evidence.failures.first { $0.mxHost == "mx2.example.com" })
        #expect(mx2.failed == 2 && mx2.firstStartEver == 1_795_305_600)
        #expect(evidence.stsPolicies.map(\.reports) == [3])
        #expect(evidence.sessions.map { [$0.successful, $0.failed] } == [[15, 9]])
        // The same through the period read, which takes the sessions from the cells.
        let period = try store.periodRows(ReportFilter(from: try Self.date("2026-11-20T00:00:00Z"), to: try Self.date("2026-11-23T00:00:00Z")))
        #expect(period.evidence == evidence)
    }

    @Test(arguments: Backend.available)
    func failureDetailsListNewestFirstAndFilter(_ backend: Backend) throws {
        let store = try backend.makeStore(dir)
        try Self.commit(store, [Self.report(id: "a", day: 20, failed: 1), Self.report(id: "b", day: 21, failed: 2, mx: "mx2.example.com")])
        let all = try store.failureRows(FailureRowFilter(report: ReportFilter()))
        #expect(all.map(\.reportID) == ["b", "a"])
        #expect(all.map(\.failed) == [2, 1])
        #expect(try store.failureRows(FailureRowFilter(report: ReportFilter(), mxHost: "mx1.example.com")).map(\.reportID) == ["a"])
        #expect(try store.failureRows(FailureRowFilter(report: ReportFilter(), resultType: "starttls-not-supported")).isEmpty)
        #expect(try store.failureRows(FailureRowFilter(report: ReportFilter(), limit: 1)).count == 1)
    }

    @Test(arguments: Backend.available)
    func seenInputsAndRejectionsAreCommittedTogetherAndARejectionOnce(_ backend: Backend) throws {
        let store = try backend.makeStore(dir)
        let hash = ContentHash.sha256(Array("broken".utf8))
        var batch = StoreBatch()
        batch.rejections = [
            IncomingRejection(provenance: Provenance(channel: .stdin, name: "-"), reason: "the input is empty", keptAt: "db", raw: [1, 2, 3], inputHash: hash)
        ]
        batch.seenInputs = [(hash, .rejected)]
        try store.commit(batch)
        #expect(try store.seenInputs([hash, [0]]) == [hash: .rejected])
        var rows = try store.rejections()
        #expect(rows.count == 1 && rows[0].reason == "the input is empty" && rows[0].hasRawCopy)
        #expect(try store.rejectedInput(id: rows[0].id) == [1, 2, 3])
        batch.rejections[0].keptAt = "elsewhere"
        try store.commit(batch)
        rows = try store.rejections()
        #expect(rows.count == 1 && rows[0].keptAt == "elsewhere")
    }

    @Test(arguments: Backend.available)
    func theRawReportIsKeptWithItsProvenance(_ backend: Backend) throws {
        let store = try backend.makeStore(dir)
        let bytes = Self.report()
        var batch = StoreBatch()
        let provenance = Provenance(
            channel: .https, name: "/tlsrpt", messageID: "<m@x>", clientAddress: "192.0.2.9", userAgent: "curl/8")
        batch.reports = [IncomingReport(decoded: try ReportDecoder().decode(bytes), rawGzip: Gzip.compress(bytes), provenance: provenance)]
        guard case .stored(let id, _) = try store.commit(batch)[0] else { Issue.record("not stored"); return }
        let detail = try #require(try store.report(id: id))
        #expect(try Gzip.decompress(detail.rawGzip, limit: 1 << 20) == bytes)
        #expect(detail.provenance == provenance)
        #expect(detail.row.domains == ["example.com"] && detail.row.successful == 5 && detail.row.failed == 1)
        #expect(try store.report(id: id + 1000) == nil)
    }

    @Test(arguments: Backend.available)
    func pruneRemovesOldReportsAndKeepsRejectionsUnlessAsked(_ backend: Backend) throws {
        let store = try backend.makeStore(dir)
        try Self.commit(store, [Self.report(id: "old", day: 1), Self.report(id: "new", day: 22)])
        var batch = StoreBatch()
        batch.rejections = [IncomingRejection(provenance: Provenance(channel: .file, name: "x"), reason: "bad", keptAt: "x")]
        try store.commit(batch, now: try Self.date("2026-11-01T00:00:00Z"))
        let cutoff = try Self.date("2026-11-10T00:00:00Z")
        #expect(try store.prune(olderThan: cutoff, includeRejects: false, dryRun: true) == PruneResult(reports: 1, policies: 1, failures: 1))
        #expect(try store.counts() == (2, 2, 2, 1))
        #expect(try store.prune(olderThan: cutoff, includeRejects: true, dryRun: false) == PruneResult(reports: 1, policies: 1, failures: 1, rejections: 1))
        #expect(try store.counts() == (1, 1, 1, 0))
        #expect(try store.summaryCells(ReportFilter()).reportsBySender == ["Google Inc.": 1])
        #expect(try store.check() == [])
    }

    @Test(arguments: Backend.available)
    func anAlertIsRaisedOnceAndResolvedOnce(_ backend: Backend) throws {
        let store = try backend.makeStore(dir)
        let seen = try Self.date("2026-11-22T23:59:59Z")
        let alert = NewAlertRow(
            kind: "new", rule: "r", hosts: ["mx.example"], domains: ["a.example"], severity: "critical", headline: "h", firstSeen: seen,
            lastSeen: seen, payload: "{}")
        let same: (NewAlertRow, NewAlertRow) -> Bool = { $0.rule == $1.rule && $0.hosts == $1.hosts }
        let raised = try store.raiseAlerts([alert, alert], channels: [("command", "true"), ("mail", "a@b")], window: 14 * 86_400, now: seen, isCovered: same)
        #expect(raised.map(\.index) == [0])
        #expect(try store.raiseAlerts([alert], channels: [], window: 14 * 86_400, now: seen, isCovered: same).isEmpty)
        let delivery = try #require(raised.first?.deliveries.first)
        try store.recordDelivery(delivery, delivered: true, attempts: 2, error: nil)
        let listed = try store.alerts()
        #expect(listed.count == 1 && listed[0].alert == alert)
        #expect(listed[0].deliveries.map { "\($0.channel) \($0.delivered) \($0.attempts)" } == ["command true 2", "mail false 0"])
        #expect(try store.openAlerts().map(\.id) == [raised[0].alertID])
        var notice = alert
        notice.kind = "resolved"
        #expect(try store.resolveAlert(raised[0].alertID, notice: notice, channels: [("mail", "a@b")], now: seen) != nil)
        #expect(try store.resolveAlert(raised[0].alertID, notice: notice, channels: [], now: seen) == nil)
        #expect(try store.openAlerts().isEmpty)
        #expect(try store.resolvedNotices(since: seen).count == 1)
    }

    @Test(arguments: Backend.available)
    func theLatestProbeOfAFindingReplacesTheEarlierOne(_ backend: Backend) throws {
        let store = try backend.makeStore(dir)
        func record(_ status: String, _ when: TimeInterval, domain: String = "example.com") -> ProbeStatusRecord {
            ProbeStatusRecord(
                rule: "policy-mx", domain: domain, hosts: ["mx2.example.com", "mail.hoster-cdn.net"], status: status, check: "policy-mx",
                detail: "d", probedAt: Date(timeIntervalSince1970: when))
        }
        try store.recordProbeStatuses([record("present", 1_796_000_000), record("present", 1_796_000_000, domain: "other.example")])
        try store.recordProbeStatuses([record("gone", 1_796_003_600)])
        #expect(try store.probeStatuses().count == 2)
        let mine = try store.probeStatuses(domain: "example.com")
        #expect(mine.map(\.status) == ["gone"] && mine[0].hosts == ["mail.hoster-cdn.net", "mx2.example.com"])
        #expect(mine[0].probedAt == Date(timeIntervalSince1970: 1_796_003_600))
    }

    /// The ceiling on raw copies of rejected inputs drops the oldest first and keeps the rows.
    @Test(arguments: Backend.available)
    func rawCopiesPastTheCeilingAreDroppedOldestFirst(_ backend: Backend) throws {
        let store = try backend.makeStore(dir)
        for n in 0..<4 {
            var batch = StoreBatch()
            batch.rejections = [
                IncomingRejection(
                    provenance: Provenance(channel: .https, name: "/r"), reason: "bad \(n)", keptAt: "db", raw: [UInt8](repeating: UInt8(n), count: 100),
                    inputHash: [UInt8(n)])
            ]
            try store.commit(batch)
        }
        var budget = try store.loadRawCopyBudget(channel: .https, maxBytes: 250)
        #expect(budget.keptBytes == 400)
        #expect(try store.enforce(&budget) == 2)
        #expect(budget.keptBytes == 200 && budget.dropped == 2)
        let rows = try store.rejections()
        #expect(rows.map(\.hasRawCopy) == [false, false, true, true])
        #expect(rows[0].keptAt == RawCopyBudget.droppedNote(maxBytes: 250))
        #expect(try store.loadRawCopyBudget(channel: .https, maxBytes: 250).dropped == 2)
    }
}
