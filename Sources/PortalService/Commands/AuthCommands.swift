import Foundation
import PortalCore
import PortalProtocol
import PortalStore

/// `auth.*` and `session.get`: logging in and out.
enum AuthCommands: CommandFamily {
    static func register(in registry: inout CommandRegistry) {
        registry.register("auth.login", access: .anyone, mutating: true, login)
        registry.register("auth.logout", access: .session, logout)
        registry.register("session.get", access: .session, session)
    }

    static func login(_ context: CommandContext) throws -> any Encodable & Sendable {
        let arguments = context.arguments
        let email = try arguments.string("email", maxLength: 320).lowercased()
        let password = try arguments.string("password", maxLength: 1_000)
        let environment = context.environment
        let now = environment.clock.now
        let sessions = environment.access.sessions

        let (user, throttle) = try environment.store.read { reader in
            (try reader.user(email: email), try reader.loginThrottle(email: email))
        }
        if let blockedUntil = throttle?.blockedUntil, blockedUntil > now {
            let wait = Int(blockedUntil.timeIntervalSince(now).rounded(.up))
            throw PortalError(
                .rateLimited, "too many failed logins for this address; try again in \(wait) s",
                details: ["retry_after_s": .int(Int64(wait))])
        }
        guard let user, environment.passwords.verify(password, against: user.passwordHash) else {
            // An unknown address costs one Argon2id run too, with the configured cost, so that it
            // takes as long as a wrong password and the two cannot be told apart.
            if user == nil { _ = environment.passwords.hash(password) }
            try environment.store.write { writer in
                // Counted inside the write, so concurrent failures are all counted.
                let failures = (try writer.loginThrottle(email: email)?.failures ?? 0) + 1
                try writer.save(LoginThrottle(
                    email: email, failures: failures,
                    blockedUntil: sessions.pause(afterFailures: failures).map { now.addingTimeInterval($0) }))
            }
            throw PortalError(.unauthenticated, "wrong e-mail address or password")
        }
        switch user.status {
        case .active: break
        case .pendingConfirmation:
            throw PortalError(.forbidden, "the account's e-mail address is not confirmed yet")
        case .pendingApproval:
            throw PortalError(.forbidden, "the account is waiting for approval by the order team")
        case .rejected, .removed:
            throw PortalError(.forbidden, "the account is closed")
        }

        let token = SecureToken.generate()
        let session = Session(
            tokenHash: SecureToken.hash(token), userID: user.id, createdAt: now, lastUsedAt: now,
            absoluteExpiry: now.addingTimeInterval(sessions.absoluteTimeout))
        let company = try environment.store.write { writer in
            try writer.deleteLoginThrottle(email: email)
            try writer.insert(session)
            return try user.companyID.flatMap { try writer.company(id: $0) }
        }
        var result = sessionResult(user: user, company: company, session: session, policy: sessions)
        result["token"] = .string(token)
        return JSONValue.object(result)
    }

    static func logout(_ context: CommandContext) throws -> any Encodable & Sendable {
        let session = try context.authenticatedCaller.session
        try context.environment.store.write { writer in try writer.deleteSession(tokenHash: session.tokenHash) }
        return JSONValue.object(["logged_out": true])
    }

    static func session(_ context: CommandContext) throws -> any Encodable & Sendable {
        let caller = try context.authenticatedCaller
        return JSONValue.object(sessionResult(
            user: caller.user, company: caller.company, session: caller.session, policy: context.environment.access.sessions))
    }

    /// The session's user, company (or staff roles) and expiry, as login and `session.get` report them.
    private static func sessionResult(user: User, company: Company?, session: Session, policy: SessionPolicy) -> [String: JSONValue] {
        var result: [String: JSONValue] = [
            "user": user.json,
            "expires_at": .string(RFC3339.string(from: policy.expiry(of: session))),
        ]
        if let company { result["company"] = company.json }
        if user.isStaff { result["staff_roles"] = .array(user.staffRoles.sorted().map { .string($0.rawValue) }) }
        return result
    }
}
