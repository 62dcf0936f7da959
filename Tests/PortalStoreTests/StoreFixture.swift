import Foundation
import PortalCore
import PortalStore

/// A fresh SQLite store in its own temporary folder, removed with the fixture.
final class StoreFixture: Sendable {
    /// 2026-11-29T08:15:00Z; whole seconds, as the store keeps times.
    static let start = Date(timeIntervalSince1970: 1_795_940_100)

    let folder: URL
    let path: String
    let store: SQLiteStore

    init() throws {
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("portal-store-\(UUID().uuidString.prefix(8).lowercased())", isDirectory: true)
        path = folder.appendingPathComponent("portal.sqlite").path
        store = try SQLiteStore(path: path)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    func company(_ id: String = OpaqueID.make(prefix: "co"), name: String = "Printing Ltd", views: Set<PortalView> = [.customer]) -> Company {
        Company(id: id, name: name, views: views, createdAt: Self.start)
    }

    func user(
        email: String, companyID: String?, role: User.CompanyRole? = .member, staffRoles: Set<StaffRole> = [],
        status: User.Status = .active
    ) -> User {
        User(
            id: OpaqueID.make(prefix: "us"), companyID: companyID, email: email, name: "Name of \(email)",
            passwordHash: "$argon2id$not-a-real-hash", companyRole: role, staffRoles: staffRoles, status: status,
            createdAt: Self.start)
    }

    func session(userID: String, token: String = SecureToken.generate()) -> Session {
        Session(
            tokenHash: SecureToken.hash(token), userID: userID, createdAt: Self.start, lastUsedAt: Self.start,
            absoluteExpiry: Self.start.addingTimeInterval(12 * 3_600))
    }

    /// Inserts `company` and returns it.
    @discardableResult
    func insert(_ company: Company) throws -> Company {
        try store.write { writer in try writer.insert(company) }
        return company
    }

    /// Inserts `user` and returns it.
    @discardableResult
    func insert(_ user: User) throws -> User {
        try store.write { writer in try writer.insert(user) }
        return user
    }
}
