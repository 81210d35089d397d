/// The two TXT records a domain publishes for MTA-STS and TLS-RPT, checked as senders read them.
///
/// RFC 8461 §3.1: senders take the records at `_mta-sts.DOMAIN` that start with `v=STSv1`; more than one
/// such record is as if there were none. RFC 8460 §3: the same for `v=TLSRPTv1` at `_smtp._tls.DOMAIN`, whose
/// `rua` is a comma-separated list of `mailto:` or `https:` URIs.
package enum TXTRecordCheck {
    /// `v=STSv1; id=…`: exactly one record, with an `id` of 1 to 32 letters and digits.
    package static func sts(_ records: [String]) -> (ok: Bool, detail: String) {
        let matching = records.filter { $0.hasPrefix("v=STSv1") }
        switch matching.count {
        case 0: return (false, "no TXT record starting with v=STSv1, so senders do not look for a policy")
        case 1: break
        default: return (false, "\(matching.count) TXT records start with v=STSv1; senders treat that as no policy (RFC 8461 §3.1)")
        }
        let fields = fields(matching[0])
        guard let first = fields.first, first.key == "v", first.value == "STSv1" else {
            return (false, "the record does not begin with the field v=STSv1: '\(matching[0])'")
        }
        guard let id = fields.first(where: { $0.key == "id" })?.value else { return (false, "the record has no id= field: '\(matching[0])'") }
        guard (1...32).contains(id.utf8.count), id.utf8.allSatisfy(isAlphanumeric) else {
            return (false, "id '\(id)' is not 1 to 32 letters and digits")
        }
        return (true, "v=STSv1; id=\(id)")
    }

    /// `v=TLSRPTv1; rua=…`: exactly one record, every URI `mailto:` with an address or `https://` with a host.
    package static func tlsrpt(_ records: [String]) -> (ok: Bool, detail: String) {
        let matching = records.filter { $0.hasPrefix("v=TLSRPTv1") }
        switch matching.count {
        case 0: return (false, "no TXT record starting with v=TLSRPTv1, so senders send no reports")
        case 1: break
        default: return (false, "\(matching.count) TXT records start with v=TLSRPTv1; senders may ignore them all (RFC 8460 §3)")
        }
        let fields = fields(matching[0])
        guard let rua = fields.first(where: { $0.key == "rua" })?.value, !rua.isEmpty else {
            return (false, "the record has no rua= field: '\(matching[0])'")
        }
        let uris = rua.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
        let bad = uris.filter { !isValidRUA($0) }
        guard bad.isEmpty else {
            return (
                false, "rua URI\(bad.count == 1 ? "" : "s") \(bad.map { "'\($0)'" }.joined(separator: ", ")) not mailto:ADDRESS or https://HOST/…"
            )
        }
        return (true, "v=TLSRPTv1; rua=\(uris.joined(separator: ","))")
    }

    /// `mailto:local@domain` or `https://host[:port]/path` (RFC 8460 §3, `tlsrpt-uri`).
    static func isValidRUA(_ uri: String) -> Bool {
        if uri.lowercased().hasPrefix("mailto:") {
            let address = uri.dropFirst("mailto:".count).split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
            let parts = address.split(separator: "@", omittingEmptySubsequences: false)
            return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].contains(where: { $0 == " " || $0 == ";" })
        }
        if uri.lowercased().hasPrefix("https://") {
            let rest = uri.dropFirst("https://".count)
            let host = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            return !host.isEmpty && !rest.contains(" ")
        }
        return false
    }

    /// `k=v; k=v` fields, trimmed, in order.
    static func fields(_ record: String) -> [(key: String, value: String)] {
        record.split(separator: ";").compactMap { field in
            let text = String(field).trimmingSpaces
            guard let equals = text.firstIndex(of: "=") else { return text.isEmpty ? nil : (text, "") }
            return (String(text[..<equals]).trimmingSpaces, String(text[text.index(after: equals)...]).trimmingSpaces)
        }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars = scalars.dropFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
