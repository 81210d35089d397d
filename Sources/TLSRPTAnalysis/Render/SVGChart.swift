package import Foundation
import TLSRPTCore
package import TLSRPTStore

/// The inline SVG charts of the HTML summary: drawn by hand, because the file must stand alone in a
/// mail client (no scripts, no external assets). Numbers are formatted with a fixed precision so the
/// output is the same on every run.
package enum SVGChart {
    static let success = "#3a8d5c"
    static let failure = "#c8402f"
    static let rateLine = "#1f4e99"

    /// Every UTC day of [from, to), with the days `days` has no entry for as empty days: in TLS-RPT a day without
    /// reports is a signal (a sender stopped reporting, mail stopped arriving), so the chart shows the gap.
    /// Periods over 1,000 days are left as they are.
    package static func everyDay(_ days: [DailyTotals], from: Date?, to: Date?) -> [DailyTotals] {
        guard let from, let to, to > from, let domain = days.first?.domain else { return days }
        let first = ReportPeriod.startOfDay(from)
        let last = ReportPeriod.startOfDay(to.addingTimeInterval(-1))
        let count = Int((last.timeIntervalSince(first) / 86_400).rounded()) + 1
        guard count <= 1_000 else { return days }
        var byDay: [Date: DailyTotals] = [:]
        for day in days { byDay[ReportPeriod.startOfDay(day.day)] = day }
        var all = (0..<count).map { i -> DailyTotals in
            let day = first.addingTimeInterval(Double(i) * 86_400)
            return byDay.removeValue(forKey: day) ?? DailyTotals(domain: domain, day: day, successful: 0, failed: 0)
        }
        all += byDay.values  // outside the period (cannot happen with the store's days); kept rather than dropped
        return all.sorted { $0.day < $1.day }
    }

    /// Daily sessions (stacked: successful, failed) with the failure rate as a line on a second axis. A day
    /// without sessions has no bar and no rate point (the line breaks there), and says so in its tooltip.
    package static func daily(_ days: [DailyTotals], title: String) -> String {
        let width = 680.0
        let height = 240.0
        let left = 64.0
        let right = 56.0
        let top = 28.0
        let bottom = 40.0
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        let maxSessions = niceCeiling(max(1, days.map { CountSum.add($0.successful, $0.failed) }.max() ?? 1))
        let rates = days.map { Summary.rate($0.failed, of: CountSum.add($0.successful, $0.failed)) }
        let maxRate = niceRate(rates.max() ?? 0)
        let step = plotWidth / Double(max(days.count, 1))
        var svg = header(width: width, height: height, label: title)
        svg += "<title>\(HTMLText.escape(title))</title>\n"
        // Axes and grid.
        for tick in 0...4 {
            let y = top + plotHeight - plotHeight * Double(tick) / 4
            let sessions = Int64((Double(maxSessions) * Double(tick) / 4).rounded())
            svg += "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(y))\" stroke=\"#ddd\"/>\n"
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\" class=\"ax\">\(NumberFormat.grouped(sessions))</text>\n"
            svg +=
                "<text x=\"\(f(left + plotWidth + 6))\" y=\"\(f(y + 4))\" class=\"ax\">\(HTMLText.escape(NumberFormat.percent(maxRate * Double(tick) / 4)))</text>\n"
        }
        let labelEvery = max(1, Int((Double(days.count) / 10).rounded(.up)))
        var segments: [[String]] = [[]]
        for (i, day) in days.enumerated() {
            let x = left + step * Double(i) + step * 0.15
            let barWidth = step * 0.7
            let okHeight = plotHeight * Double(day.successful) / Double(maxSessions)
            let failHeight = plotHeight * Double(day.failed) / Double(maxSessions)
            let dayText = RFC3339Date.day(day.day)
            let empty = day.successful == 0 && day.failed == 0
            let tip =
                empty
                ? "\(dayText): no sessions reported"
                : "\(dayText): \(NumberFormat.grouped(day.successful)) successful, \(NumberFormat.grouped(day.failed)) failed"
            svg += "<g\(empty ? " class=\"empty\"" : "")><title>\(HTMLText.escape(tip))</title>"
            if empty {
                svg +=
                    "<rect x=\"\(f(x))\" y=\"\(f(top + plotHeight - 2))\" width=\"\(f(barWidth))\" height=\"2\" fill=\"#bbb\"/>"
            }
            svg +=
                "<rect x=\"\(f(x))\" y=\"\(f(top + plotHeight - okHeight))\" width=\"\(f(barWidth))\" height=\"\(f(okHeight))\" fill=\"\(success)\"/>"
            if day.failed > 0 {
                svg +=
                    "<rect x=\"\(f(x))\" y=\"\(f(top + plotHeight - okHeight - failHeight))\" width=\"\(f(barWidth))\" height=\"\(f(max(failHeight, 1)))\" fill=\"\(failure)\"/>"
            }
            svg += "</g>\n"
            if i % labelEvery == 0 {
                svg +=
                    "<text x=\"\(f(x + barWidth / 2))\" y=\"\(f(top + plotHeight + 16))\" text-anchor=\"middle\" class=\"ax\">\(dayText.dropFirst(5))</text>\n"
            }
            if empty {
                if !segments[segments.count - 1].isEmpty { segments.append([]) }
                continue
            }
            let rateY = top + plotHeight - (maxRate == 0 ? 0 : plotHeight * rates[i] / maxRate)
            segments[segments.count - 1].append("\(f(x + barWidth / 2)),\(f(rateY))")
        }
        for points in segments where !points.isEmpty {
            svg += "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"\(rateLine)\" stroke-width=\"2\"/>\n"
            for point in points {
                let xy = point.split(separator: ",")
                svg += "<circle cx=\"\(xy[0])\" cy=\"\(xy[1])\" r=\"3\" fill=\"\(rateLine)\"/>\n"
            }
        }
        // Legend.
        svg +=
            "<rect x=\"\(f(left))\" y=\"8\" width=\"10\" height=\"10\" fill=\"\(success)\"/><text x=\"\(f(left + 14))\" y=\"17\" class=\"ax\">successful</text>\n"
        svg +=
            "<rect x=\"\(f(left + 90))\" y=\"8\" width=\"10\" height=\"10\" fill=\"\(failure)\"/><text x=\"\(f(left + 104))\" y=\"17\" class=\"ax\">failed</text>\n"
        svg +=
            "<line x1=\"\(f(left + 160))\" y1=\"13\" x2=\"\(f(left + 176))\" y2=\"13\" stroke=\"\(rateLine)\" stroke-width=\"2\"/><text x=\"\(f(left + 180))\" y=\"17\" class=\"ax\">failure rate (right axis)</text>\n"
        svg += "</svg>"
        return svg
    }

    /// Horizontal bars: failed sessions per sender, with each sender's failure rate.
    package static func senders(_ groups: [Summary.Group]) -> String {
        let rows = groups.sorted { ($0.failedSessions, $1.key ?? "") > ($1.failedSessions, $0.key ?? "") }
        let width = 680.0
        let rowHeight = 26.0
        let left = 220.0
        let right = 140.0
        let top = 10.0
        let height = top * 2 + rowHeight * Double(max(rows.count, 1))
        let maxFailed = max(1, rows.map(\.failedSessions).max() ?? 1)
        var svg = header(width: width, height: height, label: "Failed sessions per sender")
        svg += "<title>Failed sessions per sender</title>\n"
        for (i, group) in rows.enumerated() {
            let y = top + rowHeight * Double(i)
            let name = group.key ?? "-"
            let shown = name.count > 30 ? String(name.prefix(29)) + "…" : name
            let barWidth = (width - left - right) * Double(group.failedSessions) / Double(maxFailed)
            svg += "<text x=\"\(f(left - 8))\" y=\"\(f(y + 17))\" text-anchor=\"end\" class=\"lb\">\(HTMLText.escape(shown))</text>\n"
            svg +=
                "<rect x=\"\(f(left))\" y=\"\(f(y + 5))\" width=\"\(f(max(barWidth, group.failedSessions > 0 ? 2 : 0)))\" height=\"16\" fill=\"\(failure)\"/>\n"
            svg +=
                "<text x=\"\(f(left + barWidth + 6))\" y=\"\(f(y + 17))\" class=\"lb\">\(NumberFormat.grouped(group.failedSessions)) of \(NumberFormat.grouped(group.totalSessions)) (\(HTMLText.escape(NumberFormat.percent(group.failureRate))))</text>\n"
        }
        svg += "</svg>"
        return svg
    }

    static func header(width: Double, height: Double, label: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" height=\"\(f(height))\" role=\"img\" aria-label=\"\(HTMLText.escape(label))\">\n"
    }

    /// A round upper bound for the rate axis (1%, 2%, 4%, 10%, 20%, 40%, 100%: quarters stay round), with headroom so the
    /// line does not run along the top of the bars.
    static func niceRate(_ rate: Double) -> Double {
        for bound in [0.01, 0.02, 0.04, 0.1, 0.2, 0.4] where rate * 1.25 <= bound { return bound }
        return 1
    }

    /// The smallest 1, 2, 2.5 or 5 times a power of ten at or above `value`, so axis ticks are round.
    static func niceCeiling(_ value: Int64) -> Int64 {
        var power: Int64 = 1
        while power <= value / 10 { power *= 10 }
        for step in [1.0, 2.0, 2.5, 5.0, 10.0] where Double(power) * step >= Double(value) { return Int64(Double(power) * step) }
        return power * 10
    }

    static func f(_ value: Double) -> String { String(format: "%.1f", value) }
}
