/// Why the signing keys could not be read or written: one line for the operator, naming the
/// folder or file and what to do.
public struct KeyRingError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
