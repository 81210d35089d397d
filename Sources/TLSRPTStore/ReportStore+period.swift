import GRDB

/// What a period's summary reads from the store: its cells, the diagnosis evidence and the daily series.
package struct PeriodRows: Sendable {
    package var cells: SummaryCells
    package var evidence: EvidenceRows
    package var daily: [DailyTotals]

    package init(cells: SummaryCells, evidence: EvidenceRows, daily: [DailyTotals]) {
        self.cells = cells
        self.evidence = evidence
        self.daily = daily
    }
}

extension ReportStore {
    /// ``summaryCells(_:)``, ``evidenceRows(_:)`` and ``dailyTotals(_:)`` of one filter, read in one
    /// transaction, so that the three agree while an ingest writes, and so that the evidence takes the counted
    /// sessions from the cells instead of adding them up a second time. `daily: false` leaves the daily series
    /// empty, for outputs that draw no chart.
    package func periodRows(_ filter: ReportFilter, daily: Bool = true) throws(StoreError) -> PeriodRows {
        try read { db in
            let cells = try Self.summaryCells(filter, db: db)
            return PeriodRows(
                cells: cells, evidence: try Self.evidenceRows(filter, sessions: cells.sessions, db: db),
                daily: daily ? try Self.dailyTotals(filter, db: db) : [])
        }
    }
}
