/// The `name=value` parameters of a `Content-Type` or `Content-Disposition` header.
///
/// Names are case-insensitive and stored lower-cased; values keep their case. Parameters may
/// come in any order, quoted or not: Google and Microsoft send `report-type=tlsrpt` bare after
/// the boundary, Mail.ru sends `report-type="tlsrpt"` first. RFC 2231 forms (`name*=`,
/// `name*0=`, `name*1*=`) are joined and decoded into their plain name.
package struct MIMEParameters: Sendable, Equatable {
    /// One parameter after RFC 2231 decoding.
    package struct Parameter: Sendable, Equatable {
        /// Lower-case name, without any RFC 2231 `*` suffix.
        package var name: String
        package var value: String
    }

    /// The parameters in the order their names first appeared.
    package private(set) var parameters: [Parameter]

    package init(_ parameters: [Parameter] = []) {
        self.parameters = parameters
    }

    /// The value of the parameter named `name` (case-insensitive).
    package subscript(name: String) -> String? {
        let key = name.asciiLowercased()
        return parameters.first { $0.name == key }?.value
    }

    /// Parses a header value of the form `token *(";" parameter)` into the leading token (as
    /// sent, trimmed) and its parameters.
    static func parse(_ value: ArraySlice<UInt8>) -> (token: ArraySlice<UInt8>, parameters: MIMEParameters) {
        var index = value.startIndex
        let end = value.endIndex
        while index < end && value[index] != ASCII.semicolon { index += 1 }
        let token = value[value.startIndex..<index].trimmingWhitespace()
        var raw: [RFC2231.RawParameter] = []
        while index < end {
            // Skip separators and blanks before a name.
            while index < end && (value[index] == ASCII.semicolon || ASCII.isWhitespace(value[index])) { index += 1 }
            let nameStart = index
            while index < end && value[index] != ASCII.equals && value[index] != ASCII.semicolon { index += 1 }
            let name = value[nameStart..<index].trimmingWhitespace()
            guard index < end, value[index] == ASCII.equals else { continue }  // a name without a value
            index += 1
            while index < end && ASCII.isWhitespace(value[index]) { index += 1 }
            var parameterValue: [UInt8] = []
            if index < end && value[index] == ASCII.quote {
                index += 1
                while index < end && value[index] != ASCII.quote {
                    if value[index] == ASCII.backslash && index + 1 < end { index += 1 }
                    parameterValue.append(value[index])
                    index += 1
                }
                index += 1
                // Junk between the closing quote and the next ";" is ignored; a missing ";"
                // (seen from broken generators) starts the next parameter anyway.
            } else {
                let valueStart = index
                while index < end && value[index] != ASCII.semicolon { index += 1 }
                parameterValue = Array(value[valueStart..<index].trimmingWhitespace())
            }
            if !name.isEmpty {
                raw.append(RFC2231.RawParameter(name: String(decoding: name.map(ASCII.lowercased), as: UTF8.self), value: parameterValue))
            }
        }
        return (token, MIMEParameters(RFC2231.combine(raw)))
    }
}
