import Foundation
import PortalCore
import PortalProtocol
import PortalStore

/// Self-registration of customer and integrator users: register with a license key of the
/// company, confirm the e-mail address, wait for the order team's approval.
enum RegistrationCommands: CommandFamily {
    static func register(in registry: inout CommandRegistry) {
        registry.register("auth.register", access: .anyone, mutating: true, register)
        registry.register("user.confirm_email", access: .anyone, mutating: true, confirmEmail)
        registry.register("user.pending", access: .staff([.order]), pending)
        registry.register("user.approve", access: .staff([.order]), mutating: true, approve)
        registry.register("user.reject", access: .staff([.order]), mutating: true, reject)
    }

    /// How long a confirmation token stays valid.
    static let confirmationLifetime: TimeInterval = 48 * 60 * 60

    /// The same answer for an unknown key, a key of another company and a wrong company name,
    /// so that registration cannot be used to learn which keys belong to whom.
    static let mismatch = PortalError.badRequest(
        "the license key does not belong to a company of that name; use a key from your company's licenses")

    static func register(_ context: CommandContext) throws -> any Encodable & Sendable {
        let arguments = context.arguments
        let password = try arguments.string("password", maxLength: 1_000)
        let email = try AccountRules.validated(email: try arguments.string("email", maxLength: 320), password: password)
        let name = try arguments.string("name", maxLength: 200)
        let companyName = try arguments.string("company_name", maxLength: 200)
        guard let role = try arguments.optionalString("as"), ["customer", "system_integrator"].contains(role) else {
            throw PortalError.badRequest("args.as must be customer or system_integrator")
        }
        guard let key = LicenseKey(try arguments.string("license_key", maxLength: 40)) else {
            throw PortalError.badRequest("args.license_key is not a valid license key; check it for typos")
        }
        let environment = context.environment
        let now = environment.clock.now
        let token = SecureToken.generate()
        let passwordHash = environment.passwords.hash(password)
        let user = try environment.store.write { writer in
            guard let license = try writer.license(key: key) else { throw mismatch }
            let company = try registeringCompany(
                for: license, as: role == "customer" ? .customer : .systemIntegrator, named: companyName, reader: writer)
            let user = User(
                id: OpaqueID.make(prefix: "us"), companyID: company.id, email: email, name: name,
                passwordHash: passwordHash, companyRole: .member, staffRoles: [], status: .pendingConfirmation,
                createdAt: now)
            try writer.insert(user)
            try writer.append(PortalEvent.user(
                .userRegistered, user, cause: context.eventCause, at: now, details: ["as": .string(role)]))
            try writer.insertConfirmation(
                tokenHash: SecureToken.hash(token), userID: user.id, expiresAt: now.addingTimeInterval(confirmationLifetime))
            try writer.insert(OutgoingMail(
                id: OpaqueID.make(prefix: "ml"), recipient: email, subject: "Confirm your e-mail address for the license portal",
                body: "Confirm your address within 48 hours with this token (user.confirm_email): \(token)", createdAt: now))
            return user
        }
        return JSONValue.object(["user": user.json])
    }

    /// The company a registrant joins: the license's owner (as customer) or its integrator, with
    /// the view asked for and the name given.
    private static func registeringCompany(
        for license: License, as view: PortalView, named name: String, reader: any StoreReader
    ) throws -> Company {
        var candidates: [String]
        if view == .customer {
            candidates = [license.parties.owner]
        } else {
            candidates = license.parties.integrator.map { [$0] } ?? []
            candidates += try reader.company(id: license.parties.owner)?.integrators.sorted() ?? []
        }
        for id in candidates {
            if let company = try reader.company(id: id), company.views.contains(view),
               company.name.compare(name, options: [.caseInsensitive, .diacriticInsensitive]) == .orderedSame {
                return company
            }
        }
        throw mismatch
    }

    static func confirmEmail(_ context: CommandContext) throws -> any Encodable & Sendable {
        let token = try context.arguments.string("token", maxLength: 100)
        let now = context.environment.clock.now
        return try context.environment.store.write { writer in
            guard let userID = try writer.confirmationUser(tokenHash: SecureToken.hash(token), now: now),
                  var user = try writer.user(id: userID), user.status == .pendingConfirmation
            else { throw PortalError.badRequest("the confirmation token is unknown, used or expired; register again") }
            user.status = .pendingApproval
            try writer.update(user)
            try writer.append(PortalEvent.user(.userConfirmed, user, cause: context.eventCause, at: now))
            try writer.deleteConfirmations(userID: user.id)
            return JSONValue.object(["user": user.json])
        }
    }

    static func pending(_ context: CommandContext) throws -> any Encodable & Sendable {
        let limit = try context.arguments.optionalInt("limit", in: 1...500) ?? 100
        return try context.environment.store.read { reader in
            let users = try reader.users(status: .pendingApproval, limit: limit)
            let names = try reader.companyNames(ids: Set(users.compactMap(\.companyID)))
            return JSONValue.object(["items": .array(users.map { user in
                var item = user.json
                if case .object(var members) = item, let company = user.companyID {
                    members["company"] = ["id": .string(company), "name": .string(names[company] ?? "")]
                    item = .object(members)
                }
                return item
            })])
        }
    }

    static func approve(_ context: CommandContext) throws -> any Encodable & Sendable {
        try decide(context, to: .active, event: .userApproved, subject: "Your license portal account is approved",
                   body: { _ in "Your account is approved; you can log in now." })
    }

    static func reject(_ context: CommandContext) throws -> any Encodable & Sendable {
        let reason = try context.arguments.optionalString("reason", maxLength: 2_000)
        return try decide(context, to: .rejected, event: .userRejected, details: reason.map { ["reason": .string($0)] } ?? [:],
                          subject: "Your license portal registration",
                          body: { _ in "Your registration was not approved." + (reason.map { " Reason: \($0)" } ?? "") })
    }

    /// Moves an account waiting for approval to `status`, records `event` and tells the
    /// account's owner by mail.
    private static func decide(
        _ context: CommandContext, to status: User.Status, event: EventType, details: [String: JSONValue] = [:],
        subject: String, body: (User) -> String
    ) throws -> any Encodable & Sendable {
        let id = try context.arguments.string("user", maxLength: 100)
        let now = context.environment.clock.now
        return try context.environment.store.write { writer in
            guard var user = try writer.user(id: id), !user.isStaff else {
                throw PortalError(.notFound, "no user with id '\(id)'")
            }
            guard user.status == .pendingApproval else {
                throw PortalError(
                    .conflict, "the account is \(user.status.rawValue), not waiting for approval",
                    details: ["status": .string(user.status.rawValue)])
            }
            user.status = status
            try writer.update(user)
            try writer.append(PortalEvent.user(event, user, cause: context.eventCause, at: now, details: details))
            try writer.insert(OutgoingMail(
                id: OpaqueID.make(prefix: "ml"), recipient: user.email, subject: subject, body: body(user), createdAt: now))
            return JSONValue.object(["user": user.json])
        }
    }
}
