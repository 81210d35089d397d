package import Foundation
import TLSRPTCore

/// The period a summary covers. A report belongs to it when its date-range start lies in [from, to).
///
/// Senders report per UTC day (00:00:00Z to 23:59:59Z), so a period counted in days is made of whole UTC
/// days: `--since 7d` run on Monday 07:00Z is the seven days from the previous Monday 00:00Z, plus what has
/// arrived of today. A period counted in hours, minutes or seconds (`--since 36h`) is exact.
///
/// Bounds are whole seconds: the store keeps report starts in whole seconds (fractions dropped), so the
/// bounds drop their fractions too, and a report starting at 10:00:00.5 is in a period from 10:00:00.5.
package enum ReportPeriod: Sendable, Equatable {
    /// The `days` whole UTC days before today, plus today up to `now` (`--since 7d`, the default; `2w` is 14 days).
    case days(Int)
    /// Exactly the last `seconds` up to `now` (`--since 36h`).
    case since(seconds: TimeInterval)
    /// Explicit bounds (`--from DATE --to DATE`).
    case between(from: Date, to: Date)
    /// Everything stored (`--all`).
    case all

    static let day: TimeInterval = 86_400

    /// Parses a `--since` value: `7d` and `2w` (and a bare number of days) are whole UTC days; `36h`, `90m`,
    /// `600s` (and a fraction of a day such as `1.5d`) are exact.
    package static func parse(since text: String) -> ReportPeriod? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let seconds = duration(trimmed), let last = trimmed.last else { return nil }
        let inDays = last == "d" || last == "w" || last.isNumber
        let days = seconds / day
        if inDays, days == days.rounded(), days <= Double(Int32.max) { return .days(Int(days)) }
        return .since(seconds: seconds)
    }

    /// Parses a duration such as `7d`, `36h`, `2w`, `90m`; a bare number means days.
    package static func duration(_ text: String) -> TimeInterval? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let last = trimmed.last else { return nil }
        let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        let (number, unit) = units[last].map { (trimmed.dropLast(), $0) } ?? (Substring(trimmed), 86_400)
        guard let value = Double(number), value > 0, value.isFinite else { return nil }
        return value * unit
    }

    /// Parses `YYYY-MM-DD` (midnight UTC) or a full RFC 3339 date-time.
    package static func date(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.count == 10, let parsed = RFC3339Date.parse(trimmed + "T00:00:00Z") { return parsed.date }
        return RFC3339Date.parse(trimmed)?.date
    }

    /// Concrete bounds, in whole seconds; `nil` ones for `.all` (the summary then reports the earliest start and
    /// latest end).
    package func bounds(now: Date) -> (from: Date?, to: Date?) {
        let now = Self.wholeSeconds(now)
        switch self {
        case .days(let count): return (Self.startOfDay(now).addingTimeInterval(-Double(count) * Self.day), now)
        case .since(let seconds): return (Self.wholeSeconds(now.addingTimeInterval(-seconds)), now)
        case .between(let from, let to): return (Self.wholeSeconds(from), Self.wholeSeconds(to))
        case .all: return (nil, nil)
        }
    }

    /// The period the trend compares with, just before `bounds`: for whole days the same number of whole
    /// days before `from` (today's partial day has no counterpart), otherwise a period of equal length.
    package func previousBounds(now: Date) -> (from: Date, to: Date)? {
        guard case (let from?, let to?) = bounds(now: now) else { return nil }
        switch self {
        case .days(let count): return (from.addingTimeInterval(-Double(count) * Self.day), from)
        default: return (from.addingTimeInterval(-to.timeIntervalSince(from)), from)
        }
    }

    /// Midnight UTC of the day `date` lies in.
    package static func startOfDay(_ date: Date) -> Date {
        let seconds = date.timeIntervalSince1970
        return Date(timeIntervalSince1970: (seconds / day).rounded(.down) * day)
    }

    /// `date` without its fraction of a second (rounded down, as the store keeps report starts).
    static func wholeSeconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }
}
