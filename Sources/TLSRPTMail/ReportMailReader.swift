/// Finds the TLS report payloads in an e-mail message (RFC 8460 §5.3).
///
/// The whole MIME tree is searched (nested multiparts, forwarded messages), not only the
/// second part of a `multipart/report`, because real report mail is forwarded, wrapped by
/// gateways and mislabelled. A part counts as a report by its media type, then its file name,
/// then its bytes (see `MIMEPart.reportRole()`); text and HTML parts never do, except when the
/// whole message is one `text/plain` body holding a JSON object. Every report part is
/// returned; the caller decides what several mean.
package enum ReportMailReader {
    package static func read(_ bytes: [UInt8], limits: MailLimits = .default) throws(MailError) -> ReportMail {
        guard MessageSniffer.looksLikeMessage(bytes) else {
            throw MailError(.notAMessage, "not an e-mail message: it does not start with a header field such as \"From: ...\"")
        }
        let root = try MIMEPart(parsing: bytes, limits: limits)

        var attachments: [ReportAttachment] = []
        var provenanceHeaders: MIMEHeaders?
        var dmarcFormat: String?
        var defect: String?
        for (part, messageHeaders) in root.allParts() {
            if defect == nil { defect = part.defect }
            switch part.reportRole() {
            case .report(let attachment):
                attachments.append(attachment)
                if provenanceHeaders == nil { provenanceHeaders = messageHeaders }
            case .dmarcReport(let format):
                if dmarcFormat == nil { dmarcFormat = format }
            case .other:
                break
            }
        }

        // A report pasted as the body of a plain message.
        if attachments.isEmpty, root.children.isEmpty, root.mediaType.essence == "text/plain" {
            let body = root.decodedBody
            if PayloadKind(sniffing: body) == .json {
                attachments.append(ReportAttachment(bytes: body, mediaType: "text/plain", filename: root.filename, kind: .json))
                provenanceHeaders = root.headers
            }
        }

        guard let provenanceHeaders, !attachments.isEmpty else {
            if let dmarcFormat {
                throw MailError(.notTLSReport, "not a TLS report: looks like a DMARC aggregate report (\(dmarcFormat))")
            }
            if let defect { throw MailError(.malformed, "cannot find the report: \(defect)") }
            throw MailError(
                .noReportFound,
                "no TLS report in the message: no application/tlsrpt+gzip or +json part, and no attachment that is gzip or JSON")
        }
        return ReportMail(provenance: MailProvenance(headers: provenanceHeaders), attachments: attachments)
    }
}
