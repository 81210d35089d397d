import TLSRPTMail

/// The JSON of one report, taken out of whatever carried it, with what the carrier said about it.
public struct ExtractedPayload: Sendable {
    /// The report JSON (decompressed).
    public var json: [UInt8]
    /// The payload as it arrived when that was a single gzip layer: kept as the raw copy so the store
    /// does not have to compress it again.
    public var gzip: [UInt8]?
    /// Headers of the mail that carried the report, when it came by mail.
    public var mail: MailProvenance?
    /// The attachment's file name, when the mail named one.
    public var attachmentName: String?

    public init(json: [UInt8], gzip: [UInt8]? = nil, mail: MailProvenance? = nil, attachmentName: String? = nil) {
        self.json = json
        self.gzip = gzip
        self.mail = mail
        self.attachmentName = attachmentName
    }
}
