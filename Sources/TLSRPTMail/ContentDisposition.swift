/// A parsed `Content-Disposition` (RFC 2183): `attachment` or `inline`, and its parameters,
/// of which only `filename` matters here.
package struct ContentDisposition: Sendable, Equatable {
    /// Lower-case disposition type, such as `attachment`.
    package var type: String
    package var parameters: MIMEParameters

    package init(type: String, parameters: MIMEParameters = MIMEParameters()) {
        self.type = type.asciiLowercased()
        self.parameters = parameters
    }

    package init(parsing value: String) {
        self.init(parsing: Array(value.utf8)[...])
    }

    init(parsing value: ArraySlice<UInt8>) {
        let (token, parameters) = MIMEParameters.parse(value)
        self.init(type: String(decoding: token, as: UTF8.self), parameters: parameters)
    }

    /// The `filename` parameter, RFC 2231 and RFC 2047 decoded.
    package var filename: String? {
        parameters["filename"].map { RFC2047.decode($0).trimmingSpaces() }.flatMap { $0.isEmpty ? nil : $0 }
    }
}
