/// One report payload found in a message.
package struct ReportAttachment: Sendable {
    /// The payload with the transfer encoding removed; still gzip-compressed if it was sent so.
    package var bytes: [UInt8]
    /// The part's declared media type, lower-case `type/subtype` without parameters.
    package var mediaType: String
    /// The attachment's file name, if the part named one.
    package var filename: String?
    /// What the bytes are, whatever the label says.
    package var kind: PayloadKind

    package init(bytes: [UInt8], mediaType: String, filename: String?, kind: PayloadKind) {
        self.bytes = bytes
        self.mediaType = mediaType
        self.filename = filename
        self.kind = kind
    }
}
