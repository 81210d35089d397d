/// One input to read: a file, a maildir message, or bytes already in hand (standard input).
public struct InputItem: Sendable {
    public enum Kind: Sendable {
        case file
        case maildirMessage(MaildirMessage)
        case bytes([UInt8])
    }

    /// The path (or `-`) shown to the user and recorded as the provenance.
    public var path: String
    public var kind: Kind

    public init(path: String, kind: Kind) {
        self.path = path
        self.kind = kind
    }
}
