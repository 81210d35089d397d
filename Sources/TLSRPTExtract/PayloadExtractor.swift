package import TLSRPTMail

/// Finds the report JSON in an input whatever its wrapping: gzip (recognised by its magic bytes, not its
/// name or label), bare JSON, or an RFC 5322 message with the report attached.
///
/// Labels lie in practice (uncompressed JSON labelled `+gzip`, gzip labelled `+json`, DMARC XML in the
/// same mailbox), so every decision here is made from the bytes.
package struct PayloadExtractor: Sendable {
    package var limits: ExtractionLimits
    package var mailLimits: MailLimits

    package init(limits: ExtractionLimits = .default, mailLimits: MailLimits = .default) {
        self.limits = limits
        self.mailLimits = mailLimits
    }

    package func extract(_ bytes: [UInt8]) throws(ExtractionError) -> [ExtractedPayload] {
        guard !bytes.isEmpty else { throw ExtractionError(.empty, "the input is empty") }
        if Gzip.hasMagic(bytes) || Self.looksLikeJSON(bytes) {
            return [try unwrap(bytes)]
        }
        if let kind = Self.foreignFormat(bytes) {
            throw ExtractionError(.notTLSReport, "not a TLS report: \(kind)")
        }
        guard MessageSniffer.looksLikeMessage(bytes) else {
            throw ExtractionError(.unrecognised, "not a TLS report: neither gzip, JSON nor an e-mail message")
        }
        let mail: ReportMail
        do {
            mail = try ReportMailReader.read(bytes, limits: mailLimits)
        } catch {
            switch error.code {
            case .notTLSReport: throw ExtractionError(.notTLSReport, error.message)
            default: throw ExtractionError(.badMail, error.message)
            }
        }
        var payloads: [ExtractedPayload] = []
        // The cap is per input, not per attachment: a message of a thousand small gzip parts, each just under
        // the cap, would otherwise hold gigabytes.
        var total = 0
        for attachment in mail.attachments {
            var payload = try unwrap(attachment.bytes)
            total += payload.json.count
            if total > limits.maxDecompressedBytes {
                throw ExtractionError(.tooLarge, "the message's reports add up to more than \(limits.maxDecompressedBytes) bytes")
            }
            payload.mail = mail.provenance
            payload.attachmentName = attachment.filename
            payloads.append(payload)
        }
        if payloads.isEmpty {
            throw ExtractionError(.badMail, "the message carries no TLS report")
        }
        return payloads
    }

    /// Peels gzip layers (bounded) until JSON appears.
    func unwrap(_ bytes: [UInt8]) throws(ExtractionError) -> ExtractedPayload {
        var current = bytes
        var firstLayer: [UInt8]? = nil
        var layers = 0
        while Gzip.hasMagic(current) {
            guard layers < limits.maxGzipLayers else {
                throw ExtractionError(.tooLarge, "more than \(limits.maxGzipLayers) nested gzip layers")
            }
            do {
                let inflated = try Gzip.decompress(current, limit: limits.maxDecompressedBytes)
                if layers == 0 { firstLayer = current }
                current = inflated
            } catch {
                switch error.code {
                case .tooLarge:
                    throw ExtractionError(.tooLarge, "the report \(error.message) (the cap is \(limits.maxDecompressedBytes) bytes)")
                default:
                    throw ExtractionError(.badGzip, error.message)
                }
            }
            layers += 1
        }
        if current.count > limits.maxDecompressedBytes {
            throw ExtractionError(.tooLarge, "the report is larger than \(limits.maxDecompressedBytes) bytes")
        }
        if let kind = Self.foreignFormat(current) {
            throw ExtractionError(.notTLSReport, "not a TLS report: \(kind)")
        }
        // Only a single layer can be kept as the raw copy as it is.
        return ExtractedPayload(json: current, gzip: layers == 1 ? firstLayer : nil)
    }

    /// True when the first byte after an optional BOM and white space opens a JSON object or array.
    static func looksLikeJSON(_ bytes: [UInt8]) -> Bool {
        var index = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D {
            index += 1
        }
        return index < bytes.count && (bytes[index] == UInt8(ascii: "{") || bytes[index] == UInt8(ascii: "["))
    }

    /// Formats that share report mailboxes and folders with TLS reports, named so the rejection says what it was.
    static func foreignFormat(_ bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return "a zip archive (DMARC aggregate reports come as zip)" }
        var index = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
            index += 1
        }
        if bytes[index...].starts(with: Array("<?xml".utf8)) || bytes[index...].starts(with: Array("<feedback".utf8)) {
            return "an XML document (looks like a DMARC aggregate report)"
        }
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            return "UTF-16 text; reports must be UTF-8 JSON"
        }
        return nil
    }
}
