package import Hummingbird

/// Reads a request body into memory, refusing it as soon as it passes the cap.
///
/// Chunked bodies have no length, so the count is kept while reading, and never more than `limit` bytes
/// (plus the one buffer that crossed it) are held. A declared `Content-Length` over the cap is refused
/// before a byte is read.
package enum BoundedBody {
    package static func collect(_ request: Request, limit: Int) async throws -> [UInt8] {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw EndpointError(.tooLarge, "the body is \(declared) bytes, more than the \(limit)-byte limit")
        }
        var bytes: [UInt8] = []
        if let declared = request.headers[.contentLength].flatMap(Int.init) { bytes.reserveCapacity(declared) }
        for try await buffer in request.body {
            guard bytes.count + buffer.readableBytes <= limit else {
                throw EndpointError(.tooLarge, "the body is more than the \(limit)-byte limit")
            }
            buffer.withUnsafeReadableBytes { bytes.append(contentsOf: $0) }
        }
        return bytes
    }
}
