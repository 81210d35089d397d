/// RFC 2231 parameter value continuations, charsets and percent-encoding.
///
/// Long or non-ASCII filenames are sent as `filename*0*=utf-8''%E2%82%AC...; filename*1=...`:
/// sections are numbered, a trailing `*` marks a section as percent-encoded, and the first
/// encoded section names the charset. This type joins the sections in number order and
/// decodes them into one value under the plain name. When both `filename` and `filename*`
/// are present the RFC 2231 form wins, as the RFC intends for capable readers.
package enum RFC2231 {
    /// A parameter as written: lower-case name (possibly with `*` sections), unquoted value bytes.
    struct RawParameter {
        var name: String
        var value: [UInt8]
    }

    private struct Section {
        var number: Int
        var isEncoded: Bool
        var value: [UInt8]
    }

    /// Joins continuations and decodes extended values; plain parameters pass through.
    static func combine(_ raw: [RFC2231.RawParameter]) -> [MIMEParameters.Parameter] {
        // Almost every header has no RFC 2231 parameter and no repeated name.
        if !raw.contains(where: { $0.name.utf8.contains(ASCII.asterisk) }) && Set(raw.map(\.name)).count == raw.count {
            return raw.map { MIMEParameters.Parameter(name: $0.name, value: TextCharset.headerText($0.value)) }
        }
        var order: [String] = []
        var plain: [String: [UInt8]] = [:]
        var sections: [String: [Section]] = [:]
        for parameter in raw {
            if let star = parameter.name.firstIndex(of: "*") {
                let base = String(parameter.name[..<star])
                var rest = parameter.name[parameter.name.index(after: star)...]
                let isEncoded = rest.hasSuffix("*") || rest.isEmpty
                if rest.hasSuffix("*") { rest = rest.dropLast() }
                // `name*` is section 0, encoded; `name*N` / `name*N*` are numbered sections.
                guard let number = rest.isEmpty ? 0 : Int(rest), number >= 0 else { continue }
                if plain[base] == nil && sections[base] == nil { order.append(base) }
                sections[base, default: []].append(Section(number: number, isEncoded: isEncoded, value: parameter.value))
            } else {
                if plain[parameter.name] == nil && sections[parameter.name] == nil { order.append(parameter.name) }
                if plain[parameter.name] == nil { plain[parameter.name] = parameter.value }
            }
        }
        return order.map { name in
            if let parts = sections[name] {
                return MIMEParameters.Parameter(name: name, value: decode(parts))
            }
            return MIMEParameters.Parameter(name: name, value: TextCharset.headerText(plain[name] ?? []))
        }
    }

    private static func decode(_ unsorted: [Section]) -> String {
        let parts = unsorted.sorted { $0.number < $1.number }
        var charset: String?
        var bytes: [UInt8] = []
        for (position, part) in parts.enumerated() {
            var value = part.value[...]
            if part.isEncoded && position == 0 {
                // charset'language'value; a value without the two quotes is taken as it is.
                if let first = value.firstIndex(of: ASCII.apostrophe),
                    let second = value[(first + 1)...].firstIndex(of: ASCII.apostrophe)
                {
                    charset = String(decoding: value[..<first], as: UTF8.self)
                    value = value[(second + 1)...]
                }
            }
            bytes += part.isEncoded ? percentDecode(value) : Array(value)
        }
        guard let charset, !charset.isEmpty else { return TextCharset.headerText(bytes) }
        return TextCharset.decode(bytes, charset: charset)
    }

    /// `%XX` to the byte XX; a `%` that starts no valid escape is kept.
    static func percentDecode(_ value: ArraySlice<UInt8>) -> [UInt8] {
        HexEscapes.decode(value, marker: ASCII.percent)
    }
}
