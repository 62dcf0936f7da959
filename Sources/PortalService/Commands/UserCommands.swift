import PortalCore
import PortalProtocol
import PortalStore

/// `user.*`: a company admin manages the users of the own company; the order team creates a
/// company's first users.
enum UserCommands: CommandFamily {
    static func register(in registry: inout CommandRegistry) {
        registry.register("user.add", access: .companyAdmin, mutating: true, add)
        registry.register("user.list", access: .companyAdmin, list)
        registry.register("user.remove", access: .companyAdmin, mutating: true, remove)
        registry.register("user.create", access: .staff([.order]), mutating: true, create)
    }

    static func add(_ context: CommandContext) throws -> any Encodable & Sendable {
        let companyID = try context.authenticatedCaller.user.companyID
        return try insertUser(companyID: companyID, context).json
    }

    static func create(_ context: CommandContext) throws -> any Encodable & Sendable {
        let companyID = try context.arguments.string("company")
        guard try context.environment.store.read({ reader in try reader.company(id: companyID) }) != nil else {
            throw PortalError(.notFound, "no company with id '\(companyID)'")
        }
        return try insertUser(companyID: companyID, context).json
    }

    /// Creates an active user of `companyID` from `args` (`email`, `name`, `password`, `role`).
    private static func insertUser(companyID: String?, _ context: CommandContext) throws -> User {
        let arguments = context.arguments
        let password = try arguments.string("password", maxLength: 1_000)
        let email = try AccountRules.validated(email: try arguments.string("email", maxLength: 320), password: password)
        let user = User(
            id: OpaqueID.make(prefix: "us"), companyID: companyID, email: email,
            name: try arguments.string("name", maxLength: 200),
            passwordHash: context.environment.passwords.hash(password),
            companyRole: try arguments.optionalEnum("role", User.CompanyRole.self) ?? .member,
            staffRoles: [], status: .active, createdAt: context.environment.clock.now)
        try context.environment.store.write { writer in
            try writer.insert(user)
            try writer.append(PortalEvent.user(.userAdded, user, cause: context.eventCause, at: user.createdAt))
        }
        return user
    }

    static func list(_ context: CommandContext) throws -> any Encodable & Sendable {
        let companyID = try context.authenticatedCaller.user.companyID ?? ""
        let users = try context.environment.store.read { reader in try reader.users(companyID: companyID) }
        return JSONValue.object(["items": .array(users.filter { $0.status != .removed }.map(\.json))])
    }

    static func remove(_ context: CommandContext) throws -> any Encodable & Sendable {
        let caller = try context.authenticatedCaller
        let id = try context.arguments.string("user")
        guard id != caller.user.id else {
            throw PortalError(.conflict, "you cannot remove your own account; ask another admin of your company")
        }
        return try context.environment.store.write { writer in
            // Another company's user is not_found, never forbidden: nothing about it may leak.
            guard var user = try writer.user(id: id), user.companyID == caller.user.companyID, user.status != .removed else {
                throw PortalError(.notFound, "no user with id '\(id)' in your company")
            }
            user.status = .removed
            try writer.update(user)
            try writer.append(PortalEvent.user(
                .userRemoved, user, cause: context.eventCause, at: context.environment.clock.now))
            try writer.deleteSessions(userID: user.id)
            return user.json
        }
    }
}
