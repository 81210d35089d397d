/// The file name RFC 8460 §5.3 recommends for a report:
/// `sender!policy-domain!begin-timestamp!end-timestamp[!unique-id].json[.gz]`.
///
/// Used only as a fallback for a policy without `policy-domain`: the JSON is authoritative over the name.
public struct ReportFileName: Sendable, Equatable {
    public var sender: String
    public var policyDomain: String
    public var begin: Int64
    public var end: Int64
    public var uniqueID: String?

    /// Parses the last path component; nil when it is not of the RFC's form.
    public init?(_ name: String) {
        let last = name.split(separator: "/").last.map(String.init) ?? name
        var base = Substring(last)
        for suffix in [".json.gz", ".gz", ".json"] where base.lowercased().hasSuffix(suffix) {
            base = base.dropLast(suffix.count)
            break
        }
        let fields = base.split(separator: "!", omittingEmptySubsequences: false)
        guard fields.count == 4 || fields.count == 5, !fields[0].isEmpty, !fields[1].isEmpty,
            let begin = Int64(fields[2]), let end = Int64(fields[3])
        else { return nil }
        sender = String(fields[0])
        policyDomain = String(fields[1])
        self.begin = begin
        self.end = end
        uniqueID = fields.count == 5 ? String(fields[4]) : nil
    }
}
