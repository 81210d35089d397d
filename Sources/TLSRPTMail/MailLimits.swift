/// Bounds that keep a hostile message from exhausting memory or time.
///
/// The parser is iterative, so depth is not limited by the stack, but each level rescans its
/// body for its boundary: `maxDepth` keeps that work a small multiple of the message size.
/// Callers cap the message size itself before reading it.
package struct MailLimits: Sendable, Equatable {
    /// Deepest nesting of parts; the top-level message is depth 0.
    package var maxDepth: Int
    /// Most parts in one message, the top-level message and multipart containers included.
    package var maxParts: Int
    /// Longest header section of the message or of any part, in bytes.
    package var maxHeaderBytes: Int

    /// 16 levels, 1000 parts, 1 MiB of headers: far above any real report mail (3 parts, 2
    /// levels, about 15 KB of headers after a few relays).
    package static let `default` = MailLimits()

    package init(maxDepth: Int = 16, maxParts: Int = 1000, maxHeaderBytes: Int = 1 << 20) {
        self.maxDepth = maxDepth
        self.maxParts = maxParts
        self.maxHeaderBytes = maxHeaderBytes
    }
}
