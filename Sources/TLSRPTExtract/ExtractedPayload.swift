package import TLSRPTMail

/// The JSON of one report, taken out of whatever carried it, with what the carrier said about it.
package struct ExtractedPayload: Sendable {
    /// The report JSON (decompressed).
    package var json: [UInt8]
    /// The payload as it arrived when that was a single gzip layer: kept as the raw copy so the store
    /// does not have to compress it again.
    package var gzip: [UInt8]?
    /// Headers of the mail that carried the report, when it came by mail.
    package var mail: MailProvenance?
    /// The attachment's file name, when the mail named one.
    package var attachmentName: String?

    package init(json: [UInt8], gzip: [UInt8]? = nil, mail: MailProvenance? = nil, attachmentName: String? = nil) {
        self.json = json
        self.gzip = gzip
        self.mail = mail
        self.attachmentName = attachmentName
    }
}
