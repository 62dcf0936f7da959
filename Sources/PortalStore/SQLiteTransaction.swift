import Foundation
import GRDB
import GRDBSQLite
import PortalCore
import PortalProtocol

/// The store's queries and changes on one SQLite connection, inside one transaction.
///
/// Times are stored as whole Unix seconds (INTEGER), which sort and compare the same in SQLite
/// and PostgreSQL.
struct SQLiteTransaction: StoreWriter {
    let db: Database
    /// Told, once this transaction commits, that it changed what a session may do.
    let accessChanges: AccessChangeCounter
    let reused = ReusedStatements()

    init(db: Database, accessChanges: AccessChangeCounter) {
        db.boundStatementCache()
        self.db = db
        self.accessChanges = accessChanges
    }

    /// Counts this transaction's commit as an access change (see `AccessChangeCounter`). A
    /// savepoint rolled back inside a transaction that commits still counts: a cached caller
    /// is read again for nothing, which is harmless.
    private func recordAccessChange() {
        let counter = accessChanges
        db.afterNextTransaction(onCommit: { _ in counter.recordCommittedChange() })
    }

    // MARK: Companies

    func company(id: String) throws -> Company? {
        try Row.fetchOne(statement("\(Self.companySelection) WHERE c.id = ?"), arguments: [id]).map(company(from:))
    }

    func integrators(ofCompany id: String) throws -> Set<String> {
        try Set(String.fetchAll(
            statement("SELECT integrator_id FROM integrator_delegations WHERE customer_id = ?"), arguments: [id]))
    }

    /// One cached lookup per id: a license names at most five parties, and an `IN` list of
    /// varying length would be a statement for each length.
    func companyNames(ids: Set<String>) throws -> [String: String] {
        var names: [String: String] = [:]
        for id in ids {
            names[id] = try first("SELECT name FROM companies WHERE id = ?", [id]) { row in row[0] as String }
        }
        return names
    }

    func companies(after cursor: String?, limit: Int) throws -> [Company] {
        try Row.fetchAll(
            statement("\(Self.companySelection) WHERE c.id > ? ORDER BY c.id LIMIT ?"), arguments: [cursor ?? "", limit]
        ).map(company(from:))
    }

    /// A company with its views, delegations and contract in one row: every request's
    /// authentication reads its company, and one statement costs less than four.
    private static let companySelection = """
        SELECT c.id, c.name, c.created_at,
               (SELECT json_group_array(view) FROM company_views WHERE company_id = c.id),
               (SELECT json_group_array(integrator_id) FROM integrator_delegations WHERE customer_id = c.id),
               p.quota, p.starts_at, p.ends_at
        FROM companies c LEFT JOIN provider_contracts p ON p.company_id = c.id
        """

    private func company(from row: Row) throws -> Company {
        let id: String = row[0]
        func strings(_ column: Int) throws -> [String] {
            let json: String = row[column]
            guard let values = try JSONParser.parse(Array(json.utf8), maxDepth: 2).arrayValue else {
                throw StoreError("company \(id) has a malformed list in column \(column)")
            }
            return values.compactMap(\.stringValue)
        }
        let contract = (row[5] as Int?).map { quota in
            ProviderContract(quota: quota, startsAt: Date(unixSeconds: row[6]), endsAt: Date(unixSeconds: row[7]))
        }
        return Company(
            id: id, name: row[1], views: Set(try strings(3).compactMap(PortalView.init(rawValue:))),
            createdAt: Date(unixSeconds: row[2]), integrators: Set(try strings(4)), contract: contract)
    }

    func insert(_ company: Company) throws {
        do {
            try run(
                "INSERT INTO companies (id, name, created_at) VALUES (?, ?, ?)",
                [company.id, company.name, company.createdAt.unixSeconds])
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
            throw PortalError(.conflict, "a company with id '\(company.id)' exists already")
        }
        try insertRelations(of: company)
    }

    /// Views, integrator delegations and contract are rewritten whole: they are small.
    func update(_ company: Company) throws {
        recordAccessChange()
        try run("UPDATE companies SET name = ? WHERE id = ?", [company.name, company.id])
        try run("DELETE FROM company_views WHERE company_id = ?", [company.id])
        try run("DELETE FROM integrator_delegations WHERE customer_id = ?", [company.id])
        try run("DELETE FROM provider_contracts WHERE company_id = ?", [company.id])
        try insertRelations(of: company)
    }

    /// The views, integrator delegations and contract of a company that has none stored (new, or
    /// its old ones deleted). Bound directly, because imports write companies by the hundred
    /// thousand.
    func insertRelations(of company: Company) throws {
        for view in company.views.sorted() {
            try reused.with("INSERT INTO company_views (company_id, view) VALUES (?, ?)", in: db) { insert in
                insert.bind(company.id)
                insert.bind(view.rawValue)
                try insert.execute()
            }
        }
        for integrator in company.integrators.sorted() {
            try reused.with("INSERT INTO integrator_delegations (integrator_id, customer_id) VALUES (?, ?)", in: db) { insert in
                insert.bind(integrator)
                insert.bind(company.id)
                try insert.execute()
            }
        }
        if let contract = company.contract {
            try run(
                "INSERT INTO provider_contracts (company_id, quota, starts_at, ends_at) VALUES (?, ?, ?, ?)",
                [company.id, contract.quota, contract.startsAt.unixSeconds, contract.endsAt.unixSeconds])
        }
    }

    /// Runs a statement from the connection's statement cache.
    func run(_ sql: String, _ arguments: StatementArguments) throws {
        try statement(sql).execute(arguments: arguments)
    }

    /// The connection's compiled statement for `sql`, from its cache (bounded as each
    /// transaction begins).
    func statement(_ sql: String) throws -> Statement {
        try db.cachedStatement(sql: sql)
    }

    /// What `read` makes of the first row the query `sql` selects (`Database.first`).
    func first<T>(
        _ sql: String, _ arguments: [(any DatabaseValueConvertible)?], _ read: (LiveColumns) throws -> T
    ) throws -> T? {
        try db.first(sql, arguments, read)
    }

    /// What `read` makes of every row the query `sql` selects (`Database.all`).
    func all<T>(
        _ sql: String, _ arguments: [(any DatabaseValueConvertible)?], _ read: (LiveColumns) throws -> T
    ) throws -> [T] {
        try db.all(sql, arguments, read)
    }

    // MARK: Users

    func user(id: String) throws -> User? {
        try Row.fetchOne(statement("SELECT \(Self.userColumns) FROM users WHERE id = ?"), arguments: [id]).map(user(from:))
    }

    func user(email: String) throws -> User? {
        try Row.fetchOne(statement("SELECT \(Self.userColumns) FROM users WHERE email = ?"), arguments: [email.lowercased()]).map(user(from:))
    }

    func users(companyID: String) throws -> [User] {
        try Row.fetchAll(statement("SELECT \(Self.userColumns) FROM users WHERE company_id = ? ORDER BY email"), arguments: [companyID])
            .map(user(from:))
    }

    /// The users table's columns in the order `user(from:)` reads them: by position, because
    /// every request's authentication reads its user (see `licenseColumns`).
    static let userColumns = "id, company_id, email, name, password_hash, company_role, staff_roles, status, created_at"

    func user(from row: Row) -> User {
        let staffRoles: String = row[6]
        return User(
            id: row[0], companyID: row[1], email: row[2], name: row[3],
            passwordHash: row[4],
            companyRole: (row[5] as String?).flatMap(User.CompanyRole.init(rawValue:)),
            staffRoles: Set(staffRoles.split(separator: " ").compactMap { StaffRole(rawValue: String($0)) }),
            status: User.Status(rawValue: row[7]) ?? .removed,
            createdAt: Date(unixSeconds: row[8]))
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
            try run("""
                    INSERT INTO users (id, company_id, email, name, password_hash, company_role, staff_roles, status,
                                       created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments(of: user))
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw PortalError(.conflict, "an account with e-mail address '\(user.email)' exists already")
        }
    }

    func update(_ user: User) throws {
        recordAccessChange()
        try run("""
                UPDATE users SET company_id = ?2, email = ?3, name = ?4, password_hash = ?5, company_role = ?6,
                                 staff_roles = ?7, status = ?8, created_at = ?9
                WHERE id = ?1
                """, arguments(of: user))
    }

    // MARK: Sessions

    func session(tokenHash: String) throws -> Session? {
        try Row.fetchOne(statement("SELECT * FROM sessions WHERE token_hash = ?"), arguments: [tokenHash]).map { row in
            Session(
                tokenHash: row["token_hash"], userID: row["user_id"],
                createdAt: Date(unixSeconds: row["created_at"]), lastUsedAt: Date(unixSeconds: row["last_used_at"]),
                absoluteExpiry: Date(unixSeconds: row["absolute_expiry"]))
        }
    }

    func insert(_ session: Session) throws {
        try run("""
                INSERT INTO sessions (token_hash, user_id, created_at, last_used_at, absolute_expiry)
                VALUES (?, ?, ?, ?, ?)
                """, [
                session.tokenHash, session.userID, session.createdAt.unixSeconds, session.lastUsedAt.unixSeconds,
                session.absoluteExpiry.unixSeconds,
            ])
    }

    func update(_ session: Session) throws {
        try run(
            "UPDATE sessions SET last_used_at = ?, absolute_expiry = ? WHERE token_hash = ?",
            [session.lastUsedAt.unixSeconds, session.absoluteExpiry.unixSeconds, session.tokenHash])
    }

    func deleteSession(tokenHash: String) throws {
        recordAccessChange()
        try run("DELETE FROM sessions WHERE token_hash = ?", [tokenHash])
    }

    func deleteSessions(userID: String) throws {
        recordAccessChange()
        try run("DELETE FROM sessions WHERE user_id = ?", [userID])
    }

    // MARK: Login throttling

    func loginThrottle(email: String) throws -> LoginThrottle? {
        try Row.fetchOne(
            statement("SELECT * FROM login_throttles WHERE email = ?"), arguments: [email.lowercased()]).map { row in
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
        try run("DELETE FROM login_throttles WHERE email = ?", [email.lowercased()])
    }
}
