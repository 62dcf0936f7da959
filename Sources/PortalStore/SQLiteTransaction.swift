import Foundation
import GRDB
import PortalCore
import PortalProtocol

/// The store's queries and changes on one SQLite connection, inside one transaction.
///
/// Times are stored as whole Unix seconds (INTEGER), which sort and compare the same in SQLite
/// and PostgreSQL.
struct SQLiteTransaction: StoreWriter {
    let db: Database

    // MARK: Companies

    func company(id: String) throws -> Company? {
        // Cached statements, for this one and the relations: commands and imports look companies up all the time.
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM companies WHERE id = ?"), arguments: [id]) else {
            return nil
        }
        return try company(from: row)
    }

    func integrators(ofCompany id: String) throws -> Set<String> {
        try Set(String.fetchAll(
            db.cachedStatement(sql: "SELECT integrator_id FROM integrator_delegations WHERE customer_id = ?"), arguments: [id]))
    }

    func companyNames(ids: Set<String>) throws -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        let placeholders = ids.map { _ in "?" }.joined(separator: ", ")
        let rows = try Row.fetchAll(
            db, sql: "SELECT id, name FROM companies WHERE id IN (\(placeholders))", arguments: StatementArguments(Array(ids)))
        return Dictionary(uniqueKeysWithValues: rows.map { ($0["id"], $0["name"]) })
    }

    func companies(after cursor: String?, limit: Int) throws -> [Company] {
        let rows = try Row.fetchAll(
            db, sql: "SELECT * FROM companies WHERE id > ? ORDER BY id LIMIT ?", arguments: [cursor ?? "", limit])
        return try rows.map(company(from:))
    }

    private func company(from row: Row) throws -> Company {
        let id: String = row["id"]
        let views = try String.fetchAll(db.cachedStatement(sql: "SELECT view FROM company_views WHERE company_id = ?"), arguments: [id])
        let integrators = try integrators(ofCompany: id)
        let contract = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM provider_contracts WHERE company_id = ?"), arguments: [id])
            .map { row in
                ProviderContract(
                    quota: row["quota"], startsAt: Date(unixSeconds: row["starts_at"]), endsAt: Date(unixSeconds: row["ends_at"]))
            }
        return Company(
            id: id, name: row["name"], views: Set(views.compactMap(PortalView.init(rawValue:))),
            createdAt: Date(unixSeconds: row["created_at"]), integrators: integrators, contract: contract)
    }

    func insert(_ company: Company) throws {
        do {
            try run("INSERT INTO companies (id, name, created_at) VALUES (?, ?, ?)", [company.id, company.name, company.createdAt.unixSeconds])
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
            throw PortalError(.conflict, "a company with id '\(company.id)' exists already")
        }
        try replaceRelations(of: company)
    }

    func update(_ company: Company) throws {
        try db.execute(sql: "UPDATE companies SET name = ? WHERE id = ?", arguments: [company.name, company.id])
        try replaceRelations(of: company)
    }

    /// Views, integrator delegations and contract are rewritten whole: they are small.
    /// Views, integrator delegations and contract are rewritten whole: they are small. Cached
    /// statements, because imports write companies by the hundred thousand.
    private func replaceRelations(of company: Company) throws {
        try run("DELETE FROM company_views WHERE company_id = ?", [company.id])
        for view in company.views.sorted() {
            try run("INSERT INTO company_views (company_id, view) VALUES (?, ?)", [company.id, view.rawValue])
        }
        try run("DELETE FROM integrator_delegations WHERE customer_id = ?", [company.id])
        for integrator in company.integrators.sorted() {
            try run("INSERT INTO integrator_delegations (integrator_id, customer_id) VALUES (?, ?)", [integrator, company.id])
        }
        try run("DELETE FROM provider_contracts WHERE company_id = ?", [company.id])
        if let contract = company.contract {
            try run(
                "INSERT INTO provider_contracts (company_id, quota, starts_at, ends_at) VALUES (?, ?, ?, ?)",
                [company.id, contract.quota, contract.startsAt.unixSeconds, contract.endsAt.unixSeconds])
        }
    }

    /// Runs a statement from the connection's statement cache.
    func run(_ sql: String, _ arguments: StatementArguments) throws {
        try db.cachedStatement(sql: sql).execute(arguments: arguments)
    }

    // MARK: Users

    func user(id: String) throws -> User? {
        try Row.fetchOne(db, sql: "SELECT * FROM users WHERE id = ?", arguments: [id]).map(user(from:))
    }

    func user(email: String) throws -> User? {
        try Row.fetchOne(db, sql: "SELECT * FROM users WHERE email = ?", arguments: [email.lowercased()]).map(user(from:))
    }

    func users(companyID: String) throws -> [User] {
        try Row.fetchAll(db, sql: "SELECT * FROM users WHERE company_id = ? ORDER BY email", arguments: [companyID])
            .map(user(from:))
    }

    func user(from row: Row) -> User {
        let staffRoles: String = row["staff_roles"]
        return User(
            id: row["id"], companyID: row["company_id"], email: row["email"], name: row["name"],
            passwordHash: row["password_hash"],
            companyRole: (row["company_role"] as String?).flatMap(User.CompanyRole.init(rawValue:)),
            staffRoles: Set(staffRoles.split(separator: " ").compactMap { StaffRole(rawValue: String($0)) }),
            status: User.Status(rawValue: row["status"]) ?? .removed,
            createdAt: Date(unixSeconds: row["created_at"]))
    }

    private func arguments(of user: User) -> StatementArguments {
        [
            user.id, user.companyID, user.email.lowercased(), user.name, user.passwordHash, user.companyRole?.rawValue,
            user.staffRoles.sorted().map(\.rawValue).joined(separator: " "), user.status.rawValue,
            user.createdAt.unixSeconds,
        ]
    }

    func insert(_ user: User) throws {
        do {
            try db.execute(
                sql: """
                    INSERT INTO users (id, company_id, email, name, password_hash, company_role, staff_roles, status,
                                       created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: arguments(of: user))
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw PortalError(.conflict, "an account with e-mail address '\(user.email)' exists already")
        }
    }

    func update(_ user: User) throws {
        try db.execute(
            sql: """
                UPDATE users SET company_id = ?2, email = ?3, name = ?4, password_hash = ?5, company_role = ?6,
                                 staff_roles = ?7, status = ?8, created_at = ?9
                WHERE id = ?1
                """,
            arguments: arguments(of: user))
    }

    // MARK: Sessions

    func session(tokenHash: String) throws -> Session? {
        try Row.fetchOne(db, sql: "SELECT * FROM sessions WHERE token_hash = ?", arguments: [tokenHash]).map { row in
            Session(
                tokenHash: row["token_hash"], userID: row["user_id"],
                createdAt: Date(unixSeconds: row["created_at"]), lastUsedAt: Date(unixSeconds: row["last_used_at"]),
                absoluteExpiry: Date(unixSeconds: row["absolute_expiry"]))
        }
    }

    func insert(_ session: Session) throws {
        try db.execute(
            sql: """
                INSERT INTO sessions (token_hash, user_id, created_at, last_used_at, absolute_expiry)
                VALUES (?, ?, ?, ?, ?)
                """,
            arguments: [
                session.tokenHash, session.userID, session.createdAt.unixSeconds, session.lastUsedAt.unixSeconds,
                session.absoluteExpiry.unixSeconds,
            ])
    }

    func update(_ session: Session) throws {
        try db.execute(
            sql: "UPDATE sessions SET last_used_at = ?, absolute_expiry = ? WHERE token_hash = ?",
            arguments: [session.lastUsedAt.unixSeconds, session.absoluteExpiry.unixSeconds, session.tokenHash])
    }

    func deleteSession(tokenHash: String) throws {
        try db.execute(sql: "DELETE FROM sessions WHERE token_hash = ?", arguments: [tokenHash])
    }

    func deleteSessions(userID: String) throws {
        try db.execute(sql: "DELETE FROM sessions WHERE user_id = ?", arguments: [userID])
    }

    // MARK: Login throttling

    func loginThrottle(email: String) throws -> LoginThrottle? {
        try Row.fetchOne(db, sql: "SELECT * FROM login_throttles WHERE email = ?", arguments: [email.lowercased()]).map { row in
            let blockedUntil: Int64 = row["blocked_until"]
            return LoginThrottle(
                email: row["email"], failures: row["failures"],
                blockedUntil: blockedUntil > 0 ? Date(unixSeconds: blockedUntil) : nil)
        }
    }

    func save(_ throttle: LoginThrottle) throws {
        try db.execute(
            sql: """
                INSERT INTO login_throttles (email, failures, blocked_until) VALUES (?, ?, ?)
                ON CONFLICT (email) DO UPDATE SET failures = excluded.failures, blocked_until = excluded.blocked_until
                """,
            // Rounded up: a pause stored rounded down could end almost a second early.
            arguments: [
                throttle.email.lowercased(), throttle.failures,
                throttle.blockedUntil.map { Int64($0.timeIntervalSince1970.rounded(.up)) } ?? 0,
            ])
    }

    func deleteLoginThrottle(email: String) throws {
        try db.execute(sql: "DELETE FROM login_throttles WHERE email = ?", arguments: [email.lowercased()])
    }
}
