/// The shape every tlsrpt error shares: a `code` that programs and tests match on, and a one-line
/// `message` a person can act on (it names the input or file). Equality compares only the code, as
/// swift-certificates' errors do, so tests assert the kind of failure without its wording.
public protocol CodedError: Error, Sendable, Equatable, CustomStringConvertible {
    associatedtype Code: Sendable, Equatable
    var code: Code { get }
    var message: String { get }
}

extension CodedError {
    public var description: String { message }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
}
