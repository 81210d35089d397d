import Foundation

/// One DANE TLSA record (RFC 6698) as a sender quoted it in a `tlsa` policy's `policy-string`.
///
/// The diagnosis compares what the receiving domain publishes with what senders saw, so the
/// records are read back out of the reports, in whichever of the shapes senders use.
///
/// Decisions:
/// - The RFC 8460 shape is one record per element in presentation format: `"3 1 1 1F85…085D"`.
///   Hex data split by white space is joined (RFC 6698 §2.2 allows that), and a zone-file line
///   (`_25._tcp.mx.example.com. IN TLSA 3 1 1 …`) is read from the token after `TLSA`.
/// - Microsoft sends a single element that holds a JSON-encoded array of such records:
///   `["[\"3 1 1 6007…\",\"3 1 1 837C…\"]"]`. An element that starts with `[` is decoded as a
///   JSON array of strings first.
/// - Elements are split at CR and LF, like MTA-STS policy strings.
/// - ``data`` is upper-case hex, so records compare equal however the sender cased them.
/// - A line that cannot be a record (too few fields, a field that is not a number from 0 to
///   255, data that is not whole bytes of hex) is skipped with a problem. A record with an
///   unassigned usage, selector or matching type, or with a digest of the wrong length, is
///   kept, because it is what was published, and reported as a problem.
public struct TLSARecord: Hashable, Sendable, CustomStringConvertible {
    /// Certificate usage: 0 PKIX-TA, 1 PKIX-EE, 2 DANE-TA, 3 DANE-EE.
    public let usage: UInt8
    /// 0: the full certificate; 1: its SubjectPublicKeyInfo.
    public let selector: UInt8
    /// 0: the data itself; 1: SHA-256; 2: SHA-512.
    public let matchingType: UInt8
    /// The association data, upper-case hex.
    public let data: String

    public init(usage: UInt8, selector: UInt8, matchingType: UInt8, data: String) {
        self.usage = usage
        self.selector = selector
        self.matchingType = matchingType
        self.data = data.uppercased()
    }

    /// Presentation format, e.g. `3 1 1 1F85…`.
    public var description: String { "\(usage) \(selector) \(matchingType) \(data)" }

    /// Reads every record in a `tlsa` policy's `policy-string`, with a sentence per problem.
    public static func parseAll(_ policyStrings: [String]) -> (records: [TLSARecord], problems: [String]) {
        var records: [TLSARecord] = []
        var problems: [String] = []
        var plain: [String] = []
        for element in policyStrings {
            guard element.utf8.first(where: { !HostName.isASCIISpace($0) }) == UInt8(ascii: "[") else {
                plain.append(element)
                continue
            }
            // Microsoft: one element holding a JSON array of records.
            // The core's own bounded parser, as for the report around it (a string of a report is as
            // hostile as the report).
            if let value = try? JSONParser().parse(Array(element.utf8)), case .array(let elements) = value,
                let inner = Self.strings(elements)
            {
                plain.append(contentsOf: inner)
            } else {
                problems.append("policy string '\(abbreviated(element))' starts like a JSON array but is not a list of strings")
            }
        }
        for line in STSPolicy.policyLines(plain) {
            switch parse(line) {
            case .success(let record, let warnings):
                records.append(record)
                problems.append(contentsOf: warnings)
            case .failure(let problem):
                problems.append(problem)
            }
        }
        return (records, problems)
    }

    /// The elements as strings, nil when one is not a string.
    private static func strings(_ elements: [JSONValue]) -> [String]? {
        var texts: [String] = []
        for element in elements {
            guard case .string(let text) = element else { return nil }
            texts.append(text)
        }
        return texts
    }

    private enum LineResult {
        case success(TLSARecord, warnings: [String])
        case failure(String)
    }

    private static func parse(_ line: Substring) -> LineResult {
        var fields = line.utf8.split(whereSeparator: HostName.isASCIISpace).map(Substring.init)
        if let tlsa = fields.firstIndex(where: { $0.lowercased() == "tlsa" }) {
            fields.removeSubrange(...tlsa)
        }
        let quoted = abbreviated(String(line))
        guard fields.count >= 4 else {
            return .failure("TLSA record '\(quoted)' has \(fields.count) fields, not usage, selector, matching type and data")
        }
        let names = ["usage", "selector", "matching type"]
        var numbers: [UInt8] = []
        for (name, field) in zip(names, fields) {
            guard let number = decimalByte(field) else {
                return .failure("TLSA record '\(quoted)': \(name) '\(field)' is not a number from 0 to 255")
            }
            numbers.append(number)
        }
        let hex = fields[3...].joined()
        guard hex.utf8.allSatisfy({ IPAddressText.hexValue($0) != nil }) else {
            return .failure("TLSA record '\(quoted)': data is not hexadecimal")
        }
        guard hex.utf8.count.isMultiple(of: 2) else {
            return .failure("TLSA record '\(quoted)': data has an odd number of hex digits")
        }
        let record = TLSARecord(usage: numbers[0], selector: numbers[1], matchingType: numbers[2], data: hex)

        var warnings: [String] = []
        if record.usage > 3 { warnings.append("TLSA record '\(quoted)': usage \(record.usage) is not assigned (0 to 3)") }
        if record.selector > 1 { warnings.append("TLSA record '\(quoted)': selector \(record.selector) is not assigned (0 or 1)") }
        if record.matchingType > 2 {
            warnings.append("TLSA record '\(quoted)': matching type \(record.matchingType) is not assigned (0 to 2)")
        }
        let expectedDigits = [1: 64, 2: 128][Int(record.matchingType)]
        if let expectedDigits, hex.utf8.count != expectedDigits {
            let digest = record.matchingType == 1 ? "SHA-256" : "SHA-512"
            warnings.append(
                "TLSA record '\(quoted)': matching type \(record.matchingType) (\(digest)) needs \(expectedDigits) hex digits, not \(hex.utf8.count)"
            )
        }
        return .success(record, warnings: warnings)
    }

    /// A decimal 0–255, digits only.
    private static func decimalByte(_ text: Substring) -> UInt8? {
        guard !text.isEmpty, text.utf8.count <= 3, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        return UInt8(text)
    }

    /// Records carry 64 or 128 hex digits; problems quote only the start.
    private static func abbreviated(_ text: String) -> String {
        text.count <= 40 ? text : text.prefix(40) + "…"
    }
}
