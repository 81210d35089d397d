/// Why a JSON document is not a report we can accept. The message names the field by its JSON path,
/// e.g. `policies[0].summary.total-failure-session-count is -3, must be a non-negative integer`; the
/// caller puts the input's name in front.
public struct ReportDecodingError: CodedError {
    public enum Code: Sendable, Equatable {
        /// The bytes are not JSON (see `JSONParseError`).
        case invalidJSON
        /// A field the report must have is absent.
        case missingField
        /// A field has the wrong JSON type (a string where a count belongs, an object where a list belongs).
        case wrongType
        /// A field has the right type but an impossible value (negative count, unparseable date).
        case invalidValue
    }

    public let code: Code
    /// The JSON path of the offending field, empty for the document itself.
    public let path: String
    public let message: String

    public init(_ code: Code, path: String, _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path) \(message)" }

    /// Tests compare the kind and place of the failure, not its wording.
    public static func == (lhs: ReportDecodingError, rhs: ReportDecodingError) -> Bool {
        lhs.code == rhs.code && lhs.path == rhs.path
    }
}
