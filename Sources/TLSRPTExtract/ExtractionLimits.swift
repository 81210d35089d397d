/// Size caps shared by every source (file, maildir, stdin, HTTPS), so that one setting protects them all.
package struct ExtractionLimits: Sendable {
    /// The largest decompressed report accepted. 16 MiB is far above real reports (a few KB) and below
    /// what would hurt a small server; mox uses 20 MB.
    package var maxDecompressedBytes: Int
    /// gzip inside gzip is unwrapped at most this many times (HTTP `Content-Encoding: gzip` over a
    /// `+gzip` body gives two layers).
    package var maxGzipLayers: Int

    package init(maxDecompressedBytes: Int = 16 << 20, maxGzipLayers: Int = 2) {
        self.maxDecompressedBytes = maxDecompressedBytes
        self.maxGzipLayers = maxGzipLayers
    }

    package static let `default` = ExtractionLimits()
}
