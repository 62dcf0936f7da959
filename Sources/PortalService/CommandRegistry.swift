import PortalCore
import PortalProtocol

/// What a command handler receives: the decoded request, who is calling, and the environment.
public struct CommandContext: Sendable {
    public var request: Request
    /// The authenticated caller; nil for commands open to `.anyone`.
    public var caller: Caller?
    public var environment: ServiceEnvironment

    /// The request's arguments, read with clear `bad_request` errors.
    public var arguments: ArgumentReader { ArgumentReader(request.arguments) }

    /// What the events of this command name as their cause: the command and its sender.
    public var eventCause: EventCause { .command(request.command, by: caller?.user.id) }

    /// The caller, for commands that require a session (the policy has checked it is there).
    public var authenticatedCaller: Caller {
        get throws {
            guard let caller else { throw PortalError(.internal, "command registered without a session requirement") }
            return caller
        }
    }
}

/// Runs one command. Throw a `PortalError` for an error reply; any other error is answered as
/// `internal` and logged.
public typealias CommandHandler = @Sendable (CommandContext) throws -> any Encodable & Sendable

/// A family of related commands (`system.*`, `license.*`, …), one file each, registering itself.
public protocol CommandFamily {
    static func register(in registry: inout CommandRegistry)
}

/// The table from command names to their access rule and handler.
public struct CommandRegistry: Sendable {
    public struct Entry: Sendable {
        public let access: CommandAccess
        /// Whether the command changes state in a way a retry must not repeat.
        public let mutating: Bool
        public let handler: CommandHandler

        /// Whether a request's `idem` makes retries replay the first reply: for mutating
        /// commands of a session's user. Commands open to `.anyone` have no user to scope the
        /// key to, so they ignore it.
        public var honoursIdempotencyKey: Bool {
            if case .anyone = access { return false }
            return mutating
        }
    }

    private var entries: [String: Entry] = [:]

    public init() {}

    /// The registry with every command family of the portal.
    public static var standard: CommandRegistry {
        var registry = CommandRegistry()
        SystemCommands.register(in: &registry)
        AuthCommands.register(in: &registry)
        CompanyCommands.register(in: &registry)
        UserCommands.register(in: &registry)
        LicenseCommands.register(in: &registry)
        ImportCommands.register(in: &registry)
        ProductCommands.register(in: &registry)
        RegistrationCommands.register(in: &registry)
        MailCommands.register(in: &registry)
        EventCommands.register(in: &registry)
        ActivationCommands.register(in: &registry)
        RenewalCommands.register(in: &registry)
        DownloadCommands.register(in: &registry)
        DestructionCommands.register(in: &registry)
        FreeKeyCommands.register(in: &registry)
        StaffCommands.register(in: &registry)
        TicketCommands.register(in: &registry)
        OfferCommands.register(in: &registry)
        return registry
    }

    /// Adds a command. Declare `mutating` for every command that changes state (unless repeating
    /// it changes nothing more, like `auth.logout`): it then honours `idem`, unless it is open to
    /// `.anyone`.
    public mutating func register(
        _ command: String, access: CommandAccess, mutating: Bool = false, _ handler: @escaping CommandHandler
    ) {
        precondition(entries[command] == nil, "command \(command) registered twice")
        entries[command] = Entry(access: access, mutating: mutating, handler: handler)
    }

    public func entry(for command: String) -> Entry? { entries[command] }

    /// Every registered command name, sorted.
    public var commands: [String] { entries.keys.sorted() }
}
