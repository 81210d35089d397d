import TLSRPTCore
import TLSRPTExtract
import TLSRPTStore

/// A report as the ingester hands it to the store, decoded from JSON text; `adjust` changes the decoded
/// model first, for reports the decoder would never let through.
func incomingReport(_ json: [UInt8], name: String, adjust: (inout Report) -> Void = { _ in }) throws -> IncomingReport {
    var decoded = try ReportDecoder().decode(json)
    adjust(&decoded.report)
    return IncomingReport(decoded: decoded, rawGzip: Gzip.compress(json), provenance: Provenance(channel: .file, name: name))
}
