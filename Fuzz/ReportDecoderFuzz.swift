// libFuzzer entry for the report decoder (JSON parser, RFC 3339 dates, counts, normalisation).
// Built by Scripts/fuzz together with Sources/TLSRPTCore; not part of the package.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReportDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let decoded = try? ReportDecoder().decode(bytes) {
        // The canonical form must parse back to the same report: the store hashes it.
        _ = try? ReportDecoder().decode(decoded.canonicalJSON)
    }
    return 0
}
