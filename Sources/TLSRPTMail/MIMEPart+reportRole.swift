/// What a leaf part is to a TLS-RPT collector.
enum ReportRole {
    /// A TLS report payload.
    case report(ReportAttachment)
    /// A DMARC aggregate report, which shares mailboxes and Subject lines with TLS reports.
    case dmarcReport(format: String)
    /// Text, HTML, or anything else.
    case other
}

extension MIMEPart {
    /// Media types that name a TLS report: RFC 8460's two, and plain `application/tlsrpt`
    /// from the RFC's example message.
    static let tlsReportTypes: Set<String> = ["application/tlsrpt+gzip", "application/tlsrpt+json", "application/tlsrpt"]
    /// Generic labels that early drafts and mislabelling senders use for reports.
    static let genericReportTypes: Set<String> = ["application/gzip", "application/x-gzip", "application/json", "text/json"]
    /// Labels of DMARC aggregate reports (RFC 7489 §7.2.1.1: XML, gzip, zip).
    static let dmarcTypes: [String: String] = [
        "application/xml": "XML", "text/xml": "XML", "application/zip": "zip", "application/x-zip-compressed": "zip",
        "application/x-zip": "zip",
    ]
    /// Human-readable parts; never a report, whatever they contain.
    static let textTypes: Set<String> = ["text/plain", "text/html"]

    /// Classifies a leaf part by label, file name and content, in that order of trust,
    /// except that XML or zip content is a DMARC report whatever its label.
    func reportRole() -> ReportRole {
        let essence = mediaType.essence
        guard children.isEmpty, !mediaType.isMultipart, !mediaType.isEncapsulatedMessage, !Self.textTypes.contains(essence) else {
            return .other
        }
        let filename = self.filename
        let bytes = decodedBody
        let content = ContentSignature(bytes)
        func report() -> ReportRole {
            .report(ReportAttachment(bytes: bytes, mediaType: essence, filename: filename, kind: PayloadKind(sniffing: bytes)))
        }

        switch content {
        case .xml: return .dmarcReport(format: "XML")
        case .zip: return .dmarcReport(format: "zip")
        default: break
        }
        if Self.tlsReportTypes.contains(essence) { return report() }
        if let format = Self.dmarcTypes[essence] { return .dmarcReport(format: format) }
        let nameSaysDMARC = filename.flatMap(Self.dmarcFormat(ofFilename:))
        if let format = nameSaysDMARC { return .dmarcReport(format: format) }
        // A gzip file may carry its original name: `report.xml` inside is DMARC.
        if content == .gzip, let inner = GzipHeader(bytes)?.originalFilename, let format = Self.dmarcFormat(ofFilename: inner) {
            return .dmarcReport(format: format)
        }
        if Self.genericReportTypes.contains(essence) { return report() }
        if let filename, Self.hasReportExtension(filename) { return report() }
        if content == .gzip || content == .json { return report() }
        return .other
    }

    /// `.json`, `.json.gz` or `.gz` (RFC 8460 §5.3 names files `....json` or `....json.gz`).
    static func hasReportExtension(_ filename: String) -> Bool {
        let lower = filename.lowercased()
        return lower.hasSuffix(".json") || lower.hasSuffix(".gz") || lower.hasSuffix(".gzip")
    }

    /// The DMARC format a file name suggests (`.xml`, `.xml.gz`, `.zip`), if any.
    static func dmarcFormat(ofFilename filename: String) -> String? {
        let lower = filename.lowercased()
        if lower.hasSuffix(".xml") || lower.hasSuffix(".xml.gz") || lower.hasSuffix(".xml.gzip") { return "XML" }
        if lower.hasSuffix(".zip") { return "zip" }
        return nil
    }
}
