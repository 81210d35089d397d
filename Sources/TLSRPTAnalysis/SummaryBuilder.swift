package import Foundation
import TLSRPTCore
package import TLSRPTStore

/// Adds up the store's aggregate cells into a `Summary`, applying docs/ARCHITECTURE.md's counting rules (the
/// per-domain choice of one policy per report was made at insert time: see `CountingRule`).
package enum SummaryBuilder {
    package static func build(
        store: any ReportStorage, period: ReportPeriod, domain: String? = nil, sender: String? = nil, now: Date = Date()
    )
        throws(StoreError) -> Summary
    {
        let bounds = period.bounds(now: now)
        let filter = ReportFilter(from: bounds.from, to: bounds.to, domain: domain, sender: sender)
        let cells = try store.summaryCells(filter)
        var summary = build(cells)
        summary.from = bounds.from ?? cells.earliestStart
        summary.to = bounds.to ?? cells.latestEnd
        return summary
    }

    package static func build(_ cells: SummaryCells) -> Summary {
        let cells = SenderName.merged(cells)
        var senders: [String: Summary.Group] = [:]
        var domains: [String?: Summary.Group] = [:]
        var resultTypes: [String: Int64] = [:]
        var hosts: [String?: Summary.MXHostGroup] = [:]

        for (sender, reports) in cells.reportsBySender {
            senders[sender] = Summary.Group(key: sender, reports: reports, successfulSessions: 0, failedSessions: 0, resultTypes: [:])
        }
        for cell in cells.sessions {
            senders[cell.sender, default: .empty(cell.sender)].add(cell)
            domains[cell.domain, default: .empty(cell.domain)].add(cell)
            domains[cell.domain]!.reports.addCount(cell.reports)
        }
        for cell in cells.failures {
            resultTypes[cell.resultType, default: 0].addCount(cell.failed)
            senders[cell.sender, default: .empty(cell.sender)].resultTypes[cell.resultType, default: 0].addCount(cell.failed)
            domains[cell.domain, default: .empty(cell.domain)].resultTypes[cell.resultType, default: 0].addCount(cell.failed)
            var host = hosts[cell.mxHost] ?? Summary.MXHostGroup(host: cell.mxHost, failedSessions: 0, resultTypes: [:], senders: [])
            host.failedSessions.addCount(cell.failed)
            host.resultTypes[cell.resultType, default: 0].addCount(cell.failed)
            if !host.senders.contains(cell.sender) { host.senders.append(cell.sender) }
            hosts[cell.mxHost] = host
        }
        let senderList = senders.values.sorted { ($0.key ?? "") < ($1.key ?? "") }
        // Domains alphabetically, the unnamed ones last.
        let domainList = domains.values.sorted {
            switch ($0.key, $1.key) {
            case (nil, _): false
            case (_, nil): true
            case (let a?, let b?): a < b
            }
        }
        // A host's senders alphabetically, not in the order the store's rows came in (which differs between
        // SQLite's rollups and PostgreSQL's hash aggregates).
        let hostList = hosts.values.map { host in
            var host = host
            host.senders.sort()
            return host
        }.sorted { ($0.failedSessions, $1.host ?? "") > ($1.failedSessions, $0.host ?? "") }
        return Summary(
            from: nil, to: nil, reports: cells.reportsBySender.values.countSum(),
            successfulSessions: senderList.map(\.successfulSessions).countSum(),
            failedSessions: senderList.map(\.failedSessions).countSum(),
            resultTypes: resultTypes, senders: senderList, policyDomains: domainList, mxHosts: hostList)
    }
}

extension Summary.Group {
    static func empty(_ key: String?) -> Summary.Group {
        Summary.Group(key: key, reports: 0, successfulSessions: 0, failedSessions: 0, resultTypes: [:])
    }

    mutating func add(_ cell: SummaryCells.SessionCell) {
        successfulSessions.addCount(cell.successful)
        failedSessions.addCount(cell.failed)
    }
}
