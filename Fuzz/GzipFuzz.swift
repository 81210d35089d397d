// libFuzzer entry for the gzip layer and payload sniffing (Gzip over CZlib, PayloadExtractor).
// Built by Scripts/fuzz together with Sources/TLSRPTExtract; not part of the package.

import TLSRPTMail

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGzip(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // A small cap keeps each run fast; the code path is the same as with 16 MiB.
    let limit = 1 << 20
    if let inflated = try? Gzip.decompress(bytes, limit: limit) {
        precondition(inflated.count <= limit, "Gzip.decompress returned more than its limit")
        // Whatever inflates must deflate and inflate back to itself.
        precondition(try! Gzip.decompress(Gzip.compress(inflated), limit: limit) == inflated, "gzip round trip")
    }
    let extractor = PayloadExtractor(limits: ExtractionLimits(maxDecompressedBytes: limit, maxGzipLayers: 2))
    if let payloads = try? extractor.extract(bytes) {
        for payload in payloads { precondition(payload.json.count <= limit, "payload over the cap") }
    }
    return 0
}
