import PortalCore
import PortalProtocol
import PortalStore

/// Creating staff accounts, which no protocol command can do: the first one has to come from
/// the operator (`portald staff add`), and staff are not part of any company.
public enum StaffAccounts {
    public static func add(
        email: String, name: String, password: String, roles: Set<StaffRole>,
        store: any Store, passwords: PasswordHasher, clock: any WallClock
    ) throws -> User {
        let email = try AccountRules.validated(email: email, password: password)
        guard !roles.isEmpty else { throw PortalError.badRequest("a staff account needs at least one role") }
        let user = User(
            id: OpaqueID.make(prefix: "us"), companyID: nil, email: email, name: name,
            passwordHash: passwords.hash(password), companyRole: nil, staffRoles: roles, status: .active,
            createdAt: clock.now)
        try store.write { writer in try writer.insert(user) }
        return user
    }
}
