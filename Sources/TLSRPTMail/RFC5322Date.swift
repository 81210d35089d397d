import Foundation

/// Parses the `Date` header (RFC 5322 §3.3), leniently.
///
/// Accepted: an optional day name, day and month in either order (the RFC 8460 example
/// message, and tools copied from it, write `Fri, May 09 2017 16:54:30 -0800`), two- or
/// four-digit years, seconds optional, numeric zones and the obsolete names (`GMT`, `UT`,
/// `EST`...), and comments such as `(PDT)`. A date without a zone is rejected rather than
/// guessed. The arithmetic is done here, not with `DateFormatter`, so the result does not
/// depend on the locale or time zone of the machine.
public enum RFC5322Date {
    public static func parse(_ text: String) -> Date? {
        var day: Int?
        var month: Int?
        var year: Int?
        var time: (hour: Int, minute: Int, second: Int)?
        var zoneSeconds: Int?
        var numbers: [Substring] = []

        for token in tokens(text) {
            if token.contains(":") {
                guard time == nil, let parsed = parseTime(token) else { return nil }
                time = parsed
            } else if token.first == "+" || token.first == "-" {
                guard zoneSeconds == nil, let zone = parseNumericZone(token) else { return nil }
                zoneSeconds = zone
            } else if token.allSatisfy(isDigit) {
                numbers.append(token)
            } else if let number = monthNumber(token) {
                guard month == nil else { return nil }
                month = number
            } else if let zone = namedZones[token.uppercased()], time != nil {
                zoneSeconds = zone
            } else if dayNames.contains(String(token.prefix(3)).lowercased()), time == nil {
                continue
            } else {
                return nil
            }
        }
        // Day and year: the short number is the day, whichever comes first.
        guard numbers.count == 2 else { return nil }
        let (first, second) = (numbers[0], numbers[1])
        let (dayText, yearText) = first.count > 2 ? (second, first) : (first, second)
        guard dayText.count <= 2, (2...4).contains(yearText.count) else { return nil }
        day = Int(dayText)
        year = Int(yearText).map { value in
            switch yearText.count {
            case 2: value < 50 ? 2000 + value : 1900 + value  // RFC 5322 §4.3
            case 3: 1900 + value
            default: value
            }
        }
        guard let day, let month, let year, let time, let zoneSeconds,
            (1...daysInMonth(month, year: year)).contains(day),
            (0...23).contains(time.hour), (0...59).contains(time.minute), (0...60).contains(time.second)
        else { return nil }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        let seconds = days * 86_400 + time.hour * 3600 + time.minute * 60 + time.second - zoneSeconds
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// Words of the date, with comments removed and commas as separators.
    private static func tokens(_ text: String) -> [Substring] {
        var cleaned = ""
        var commentDepth = 0
        for character in text {
            switch character {
            case "(": commentDepth += 1
            case ")": commentDepth = max(0, commentDepth - 1)
            default:
                if commentDepth == 0 { cleaned.append(character == "," ? " " : character) }
            }
        }
        return cleaned.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" })
    }

    private static func parseTime(_ token: Substring) -> (hour: Int, minute: Int, second: Int)? {
        let fields = token.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 2 || fields.count == 3, fields.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy(isDigit) }),
            let hour = Int(fields[0]), let minute = Int(fields[1])
        else { return nil }
        let second = fields.count == 3 ? Int(fields[2]) : 0
        return second.map { (hour, minute, $0) }
    }

    private static func parseNumericZone(_ token: Substring) -> Int? {
        let digits = token.dropFirst()
        guard digits.count == 4, digits.allSatisfy(isDigit), let value = Int(digits) else { return nil }
        let seconds = (value / 100) * 3600 + (value % 100) * 60
        return token.first == "-" ? -seconds : seconds
    }

    private static func isDigit(_ character: Character) -> Bool {
        character.isASCII && character.isNumber
    }

    private static func monthNumber(_ token: Substring) -> Int? {
        guard token.count >= 3 else { return nil }
        return monthNames.firstIndex(of: String(token.prefix(3)).lowercased()).map { $0 + 1 }
    }

    private static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let dayNames: Set<String> = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    /// RFC 5322 §4.3 obsolete zones; military letters other than Z carry no reliable meaning
    /// and count as +0000, as the RFC advises.
    private static let namedZones: [String: Int] = {
        var zones = [
            "UT": 0, "UTC": 0, "GMT": 0, "Z": 0,
            "EST": -5 * 3600, "EDT": -4 * 3600, "CST": -6 * 3600, "CDT": -5 * 3600,
            "MST": -7 * 3600, "MDT": -6 * 3600, "PST": -8 * 3600, "PDT": -7 * 3600,
        ]
        for letter in "ABCDEFGHIKLMNOPQRSTUVWXY" { zones[String(letter)] = 0 }
        return zones
    }()

    private static func daysInMonth(_ month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
