package import HTTPTypes
package import Hummingbird
import TLSRPTCore

/// Why the endpoint refused a request. Every refusal becomes an HTTP status here and only here, with a
/// one-line plain-text reason a sender's operator can act on.
package struct EndpointError: CodedError {
    package enum Code: Sendable, Equatable {
        /// Malformed gzip or JSON, a report missing a required field, an empty body.
        case malformed
        /// The body, or the report once decompressed, is over its cap.
        case tooLarge
        /// A declared content type (or content coding) that is not a TLS report.
        case unsupportedMediaType
        /// A report for a policy domain not accepted by `--domain`.
        case domainNotAccepted
        /// The database could not be written: the sender should retry (RFC 8460 §3: it will, for 24 h).
        case storeUnavailable
        /// This client already has as many requests in flight as it may: it should retry later.
        case tooManyFromClient
        /// Every decode worker is busy and the queue before them is full: retry later.
        case busy
    }

    package let code: Code
    package let message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        // One line: the reason goes into a plain-text body and a log line.
        self.message = message.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    package var status: HTTPResponse.Status {
        switch code {
        case .malformed: .badRequest
        case .tooLarge: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        case .domainNotAccepted: .unprocessableContent
        case .storeUnavailable: .serviceUnavailable
        case .tooManyFromClient: .tooManyRequests
        case .busy: .serviceUnavailable
        }
    }
}

extension EndpointError: HTTPResponseError {
    package var headers: HTTPFields {
        var fields: HTTPFields = [.contentType: "text/plain; charset=utf-8"]
        switch code {
        case .storeUnavailable: fields[.retryAfter] = "60"
        case .tooManyFromClient, .busy: fields[.retryAfter] = "5"
        default: break
        }
        // After a refused upload the rest of the body may still be on the wire: close rather than read it.
        if code == .tooLarge { fields[.connection] = "close" }
        return fields
    }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: message + "\n")))
    }
}
