import PortalProtocol

/// What a command handler receives: the decoded request and the shared environment.
public struct CommandContext: Sendable {
    public var request: Request
    public var environment: ServiceEnvironment
}

/// Runs one command. Throw a `PortalError` for an error reply; any other error is answered as
/// `internal` and logged.
public typealias CommandHandler = @Sendable (CommandContext) throws -> any Encodable & Sendable

/// A family of related commands (`system.*`, `license.*`, …), one file each, registering itself.
public protocol CommandFamily {
    static func register(in registry: inout CommandRegistry)
}

/// The table from command names to handlers.
public struct CommandRegistry: Sendable {
    private var handlers: [String: CommandHandler] = [:]

    public init() {}

    /// The registry with every command family of the portal.
    public static var standard: CommandRegistry {
        var registry = CommandRegistry()
        SystemCommands.register(in: &registry)
        return registry
    }

    public mutating func register(_ command: String, _ handler: @escaping CommandHandler) {
        precondition(handlers[command] == nil, "command \(command) registered twice")
        handlers[command] = handler
    }

    public func handler(for command: String) -> CommandHandler? { handlers[command] }

    /// Every registered command name, sorted.
    public var commands: [String] { handlers.keys.sorted() }
}
