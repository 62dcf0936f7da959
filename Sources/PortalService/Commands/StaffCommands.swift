import PortalCore
import PortalProtocol
import PortalStore

/// `staff.create`: staff administrators add colleagues and service accounts (the first staff
/// account comes from `portald staff add`).
enum StaffCommands: CommandFamily {
    static func register(in registry: inout CommandRegistry) {
        registry.register("staff.create", access: .staff([.admin]), mutating: true, create)
    }

    static func create(_ context: CommandContext) throws -> any Encodable & Sendable {
        let arguments = context.arguments
        let user = try StaffAccounts.add(
            email: try arguments.string("email", maxLength: 320), name: try arguments.string("name", maxLength: 200),
            password: try arguments.string("password", maxLength: 1_000), roles: try arguments.enumSet("roles", StaffRole.self),
            store: context.environment.store, passwords: context.environment.passwords, clock: context.environment.clock)
        return JSONValue.object(["user": user.json])
    }
}
