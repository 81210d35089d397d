import ArgumentParser
import Foundation
import TLSRPTAnalysis
import TLSRPTCore

/// The period and filters shared by `summary`, `failures` and `reports`.
struct PeriodOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The period up to now (default 7d): 7d or 2w are whole UTC days before today plus today so far; 36h, 90m are exact.",
            valueName: "duration"))
    var since: String?

    @Option(
        help: ArgumentHelp(
            "Start of the period (YYYY-MM-DD or RFC 3339, UTC; fractions of a second are dropped), with --to.", valueName: "date"))
    var from: String?

    @Option(help: ArgumentHelp("End of the period, exclusive.", valueName: "date"))
    var to: String?

    @Flag(help: "Everything stored.")
    var all = false

    @Option(help: ArgumentHelp("Only this policy domain.", valueName: "domain"))
    var domain: String?

    @Option(help: ArgumentHelp("Only reports from this organisation (as in organization-name).", valueName: "org"))
    var sender: String?

    func validate() throws {
        let chosen = [since != nil, from != nil || to != nil, all].filter { $0 }.count
        if chosen > 1 { throw ValidationError("choose one of --since, --from/--to and --all") }
        if (from == nil) != (to == nil) { throw ValidationError("--from and --to go together") }
        if let since, ReportPeriod.parse(since: since) == nil {
            throw ValidationError("--since '\(since)' is not a duration such as 7d, 36h or 2w")
        }
        if let from, ReportPeriod.date(from) == nil { throw ValidationError("--from '\(from)' is not a date (YYYY-MM-DD)") }
        if let to, ReportPeriod.date(to) == nil { throw ValidationError("--to '\(to)' is not a date (YYYY-MM-DD)") }
        if let from, let to, let start = ReportPeriod.date(from), let end = ReportPeriod.date(to),
            case (let lower?, let upper?) = ReportPeriod.between(from: start, to: end).bounds(now: end), upper <= lower
        {
            throw ValidationError("--to must be after --from (in whole seconds)")
        }
    }

    var period: ReportPeriod {
        if all { return .all }
        if let from, let to, let start = ReportPeriod.date(from), let end = ReportPeriod.date(to) {
            return .between(from: start, to: end)
        }
        return since.flatMap { ReportPeriod.parse(since: $0) } ?? .days(7)
    }

    var normalisedDomain: String? { domain.map(HostName.normalise) }

    var trimmedSender: String? { sender?.trimmingCharacters(in: .whitespaces) }
}
