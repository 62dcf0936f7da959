/// An error that becomes an error reply: a wire code, a message for humans, optional details.
///
/// Messages say what to fix ("args.email must be a string"); `details` carries the facts a program
/// needs (the allowed transitions, the remaining quota).
public struct PortalError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: ErrorCode
    public var message: String
    public var details: [String: JSONValue]?

    public init(_ code: ErrorCode, _ message: String, details: [String: JSONValue]? = nil) {
        self.code = code
        self.message = message
        self.details = details
    }

    public var description: String { "\(code.rawValue): \(message)" }

    /// The error's `error` object as it appears in a reply line.
    public var json: JSONValue {
        var object: [String: JSONValue] = ["code": .string(code.rawValue), "message": .string(message)]
        if let details { object["details"] = .object(details) }
        return .object(object)
    }

    public static func badRequest(_ message: String, details: [String: JSONValue]? = nil) -> PortalError {
        PortalError(.badRequest, message, details: details)
    }
}
