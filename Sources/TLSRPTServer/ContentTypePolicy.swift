import Foundation
package import HTTPTypes

/// Which declared content types and codings may carry a report.
///
/// RFC 8460 §3 names `application/tlsrpt+gzip` and `application/tlsrpt+json`; senders built on early drafts
/// use `application/gzip` or `text/json`, and some send nothing or `application/octet-stream`. None of these
/// labels is trusted: the bytes decide (gzip by its magic), so a label only ever *refuses* a body, and only
/// when it plainly declares something else (`text/html`, `multipart/form-data`).
package enum ContentTypePolicy {
    /// Media types (lower case, without parameters) that may carry a report.
    package static let acceptedMediaTypes: Set<String> = [
        "application/tlsrpt+gzip", "application/tlsrpt+json", "application/tlsrpt",
        "application/gzip", "application/x-gzip", "application/json", "text/json", "application/octet-stream",
        // curl's default for --data-binary when the sender forgets -H: the bytes still decide.
        "application/x-www-form-urlencoded",
    ]

    /// Content codings that may wrap the body. `gzip` is peeled by the extractor like any gzip layer.
    package static let acceptedCodings: Set<String> = ["gzip", "x-gzip", "identity"]

    /// Throws `unsupportedMediaType` for a body declared as something that is not a report.
    package static func check(_ fields: HTTPFields) throws(EndpointError) {
        if let declared = fields[.contentType] {
            let mediaType =
                declared.split(separator: ";", maxSplits: 1).first.map {
                    $0.trimmingCharacters(in: .whitespaces).lowercased()
                } ?? ""
            if !mediaType.isEmpty && !acceptedMediaTypes.contains(mediaType) {
                throw EndpointError(
                    .unsupportedMediaType, "Content-Type \(mediaType) is not a TLS report; send application/tlsrpt+gzip or application/tlsrpt+json")
            }
        }
        for value in fields[values: .contentEncoding] {
            for coding in value.split(separator: ",") {
                let name = coding.trimmingCharacters(in: .whitespaces).lowercased()
                if !name.isEmpty && !acceptedCodings.contains(name) {
                    throw EndpointError(.unsupportedMediaType, "Content-Encoding \(name) is not supported; use gzip or none")
                }
            }
        }
    }
}
