import GRDB
import PortalCore
import PortalProtocol

/// Idempotent inserts for imports: an object whose identity exists is left as it is.
extension SQLiteTransaction {
    /// One statement, not a lookup and an insert: `ON CONFLICT … DO NOTHING` finds the existing
    /// row on the way in. A new company has no views or delegations to replace.
    func insertIfMissing(_ company: Company) throws -> Bool {
        // Bound directly: imports bring companies by the hundred thousand.
        try reused.with("INSERT INTO companies (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING", in: db) { insert in
            insert.bind(company.id)
            insert.bind(company.name)
            insert.bind(company.createdAt.unixSeconds)
            try insert.execute()
        }
        guard db.changesCount == 1 else { return false }
        try insertRelations(of: company)
        return true
    }

    func insertIfMissing(_ user: User) throws -> Bool {
        guard try !exists("SELECT 1 FROM users WHERE email = ?", [user.email.lowercased()]) else { return false }
        try insert(user)
        return true
    }

    func insertIfMissing(_ line: ProductLine) throws -> Bool {
        guard try !exists("SELECT 1 FROM product_lines WHERE id = ?", [line.id]) else { return false }
        try insert(line)
        return true
    }

    func insertIfMissing(_ product: Product) throws -> Bool {
        guard try !exists("SELECT 1 FROM products WHERE id = ?", [product.id]) else { return false }
        try insert(product)
        return true
    }

    /// Only a conflict on the order line means "imported before": SQLite checks the upsert's
    /// own constraint first, and a clash of key or id with another license is still an error.
    func insertIfMissing(_ license: License) throws -> Bool {
        try insert(license, sql: Self.licenseImport)
        return db.changesCount == 1
    }

    /// Made once: a statement is looked up by its text, for every license imported.
    private static let licenseImport = licenseInsert + " ON CONFLICT (order_reference, order_position) DO NOTHING"

    func licenseExists(orderReference: String, position: Int) throws -> Bool {
        var existing = try DirectStatement(db, sql: "SELECT 1 FROM licenses WHERE order_reference = ? AND order_position = ?")
        existing.bind(orderReference)
        existing.bind(position)
        return try existing.findsRow()
    }

    private func exists(_ sql: String, _ arguments: StatementArguments) throws -> Bool {
        try Row.fetchOne(statement(sql), arguments: arguments) != nil
    }
}
