/// One input to read: a file, a maildir message, or bytes already in hand (standard input).
package struct InputItem: Sendable {
    package enum Kind: Sendable {
        case file
        case maildirMessage(MaildirMessage)
        case bytes([UInt8])
    }

    /// The path (or `-`) shown to the user and recorded as the provenance.
    package var path: String
    package var kind: Kind

    package init(path: String, kind: Kind) {
        self.path = path
        self.kind = kind
    }
}
