/// A failure to start or run the server, with a message for the operator.
public struct ServerError: Error, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
