/// One decoded request line of protocol v1.
public struct Request: Sendable, Equatable {
    /// The only protocol version this server speaks.
    public static let protocolVersion: Int64 = 1

    /// The caller's correlation id, echoed exactly; `.null` when the line had none.
    public var id: JSONValue
    /// The command name, `noun.verb`.
    public var command: String
    /// The session token, when the command needs one.
    public var auth: String?
    /// The active view, for view-scoped commands.
    public var view: String?
    /// The idempotency key of a mutating command.
    public var idempotencyKey: String?
    /// The command's arguments; `{}` when the line had none.
    public var arguments: [String: JSONValue]

    public init(
        id: JSONValue = .null, command: String, auth: String? = nil, view: String? = nil,
        idempotencyKey: String? = nil, arguments: [String: JSONValue] = [:]
    ) {
        self.id = id
        self.command = command
        self.auth = auth
        self.view = view
        self.idempotencyKey = idempotencyKey
        self.arguments = arguments
    }
}
