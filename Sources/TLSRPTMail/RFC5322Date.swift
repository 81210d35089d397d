package import Foundation

/// Parses the `Date` header (RFC 5322 §3.3), leniently.
///
/// Accepted: an optional day name, day and month in either order (the RFC 8460 example
/// message, and tools copied from it, write `Fri, May 09 2017 16:54:30 -0800`), two- or
/// four-digit years, seconds optional, numeric zones and the obsolete names (`GMT`, `UT`,
/// `EST`...), and comments such as `(PDT)`. A date without a zone is rejected rather than
/// guessed. The arithmetic is done here, not with `DateFormatter`, so the result does not
/// depend on the locale or time zone of the machine.
package enum RFC5322Date {
    package static func parse(_ text: String) -> Date? {
        var month: Int?
        var time: (hour: Int, minute: Int, second: Int)?
        var zoneSeconds: Int?
        var numbers: [ArraySlice<UInt8>] = []

        for token in tokens(Array(text.utf8)) {
            if token.contains(ASCII.colon) {
                guard time == nil, let parsed = parseTime(token) else { return nil }
                time = parsed
            } else if token.first == UInt8(ascii: "+") || token.first == ASCII.hyphen {
                guard zoneSeconds == nil, let zone = parseNumericZone(token) else { return nil }
                zoneSeconds = zone
            } else if token.allSatisfy(isDigit) {
                numbers.append(token)
            } else if let number = monthNumber(token) {
                guard month == nil else { return nil }
                month = number
            } else if time != nil, let zone = namedZones[String(decoding: token.map(ASCII.lowercased), as: UTF8.self)] {
                zoneSeconds = zone
            } else if time == nil, token.count >= 3, dayNames.contains(lowercasedPrefix3(token)) {
                continue
            } else {
                return nil
            }
        }
        // Day and year: the short number is the day, whichever comes first.
        guard numbers.count == 2 else { return nil }
        let (dayText, yearText) = numbers[0].count > 2 ? (numbers[1], numbers[0]) : (numbers[0], numbers[1])
        guard dayText.count <= 2, (2...4).contains(yearText.count), let day = number(dayText), let value = number(yearText) else {
            return nil
        }
        let year: Int
        switch yearText.count {
        case 2: year = value < 50 ? 2000 + value : 1900 + value  // RFC 5322 §4.3
        case 3: year = 1900 + value
        default: year = value
        }
        guard let month, let time, let zoneSeconds,
            (1...daysInMonth(month, year: year)).contains(day),
            (0...23).contains(time.hour), (0...59).contains(time.minute), (0...60).contains(time.second)
        else { return nil }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        let seconds = days * 86_400 + time.hour * 3600 + time.minute * 60 + time.second - zoneSeconds
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// Words of the date, with comments removed and commas as separators.
    private static func tokens(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var tokens: [ArraySlice<UInt8>] = []
        var commentDepth = 0
        var tokenStart: Int?
        for (index, byte) in bytes.enumerated() {
            let separates = byte == ASCII.openParenthesis || byte == ASCII.closeParenthesis || byte == ASCII.comma || ASCII.isWhitespace(byte)
            if separates || commentDepth > 0, let start = tokenStart {
                tokens.append(bytes[start..<index])
                tokenStart = nil
            }
            if byte == ASCII.openParenthesis {
                commentDepth += 1
            } else if byte == ASCII.closeParenthesis {
                commentDepth = max(0, commentDepth - 1)
            } else if !separates && commentDepth == 0 && tokenStart == nil {
                tokenStart = index
            }
        }
        if let start = tokenStart { tokens.append(bytes[start...]) }
        return tokens
    }

    private static func parseTime(_ token: ArraySlice<UInt8>) -> (hour: Int, minute: Int, second: Int)? {
        let fields = token.split(separator: ASCII.colon, omittingEmptySubsequences: false)
        guard fields.count == 2 || fields.count == 3, fields.allSatisfy({ (1...2).contains($0.count) }),
            let hour = number(fields[0]), let minute = number(fields[1])
        else { return nil }
        let second = fields.count == 3 ? number(fields[2]) : 0
        return second.map { (hour, minute, $0) }
    }

    private static func parseNumericZone(_ token: ArraySlice<UInt8>) -> Int? {
        let digits = token.dropFirst()
        guard digits.count == 4, let value = number(digits) else { return nil }
        let seconds = (value / 100) * 3600 + (value % 100) * 60
        return token.first == ASCII.hyphen ? -seconds : seconds
    }

    /// A short run of ASCII digits as a number; nil for anything else.
    private static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        guard !digits.isEmpty, digits.count <= 4, digits.allSatisfy(isDigit) else { return nil }
        return digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= 0x30 && byte <= 0x39
    }

    private static func lowercasedPrefix3(_ token: ArraySlice<UInt8>) -> String {
        String(decoding: token.prefix(3).map(ASCII.lowercased), as: UTF8.self)
    }

    private static func monthNumber(_ token: ArraySlice<UInt8>) -> Int? {
        guard token.count >= 3 else { return nil }
        return monthNames.firstIndex(of: lowercasedPrefix3(token)).map { $0 + 1 }
    }

    private static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let dayNames: Set<String> = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    /// RFC 5322 §4.3 obsolete zones; military letters other than Z carry no reliable meaning
    /// and count as +0000, as the RFC advises.
    private static let namedZones: [String: Int] = {
        var zones = [
            "ut": 0, "utc": 0, "gmt": 0, "z": 0,
            "est": -5 * 3600, "edt": -4 * 3600, "cst": -6 * 3600, "cdt": -5 * 3600,
            "mst": -7 * 3600, "mdt": -6 * 3600, "pst": -8 * 3600, "pdt": -7 * 3600,
        ]
        for letter in "abcdefghiklmnopqrstuvwxy" { zones[String(letter)] = 0 }
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
