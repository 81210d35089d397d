import Foundation
import TLSRPTCore

/// The period a summary covers. A report belongs to it when its date-range start lies in [from, to).
public enum ReportPeriod: Sendable, Equatable {
    /// The last `seconds` up to `now` (`--since 7d`, the default).
    case since(seconds: TimeInterval)
    /// Explicit bounds (`--from DATE --to DATE`).
    case between(from: Date, to: Date)
    /// Everything stored (`--all`).
    case all

    /// Parses a duration such as `7d`, `36h`, `2w`, `90m`; a bare number means days.
    public static func duration(_ text: String) -> TimeInterval? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let last = trimmed.last else { return nil }
        let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        let (number, unit) = units[last].map { (trimmed.dropLast(), $0) } ?? (Substring(trimmed), 86_400)
        guard let value = Double(number), value > 0, value.isFinite else { return nil }
        return value * unit
    }

    /// Parses `YYYY-MM-DD` (midnight UTC) or a full RFC 3339 date-time.
    public static func date(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.count == 10, let parsed = RFC3339Date.parse(trimmed + "T00:00:00Z") { return parsed.date }
        return RFC3339Date.parse(trimmed)?.date
    }

    /// Concrete bounds; `nil` ones for `.all` (the summary then reports the earliest start and latest end).
    public func bounds(now: Date) -> (from: Date?, to: Date?) {
        switch self {
        case .since(let seconds): (now.addingTimeInterval(-seconds), now)
        case .between(let from, let to): (from, to)
        case .all: (nil, nil)
        }
    }
}
