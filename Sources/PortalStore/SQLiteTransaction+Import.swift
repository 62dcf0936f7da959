import GRDB
import PortalCore
import PortalProtocol

/// Idempotent inserts for imports: an object whose identity exists is left as it is.
extension SQLiteTransaction {
    func insertIfMissing(_ company: Company) throws -> Bool {
        guard try !exists("SELECT 1 FROM companies WHERE id = ?", [company.id]) else { return false }
        try insert(company)
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

    func insertIfMissing(_ license: License) throws -> Bool {
        var existing = try DirectStatement(db, sql: "SELECT 1 FROM licenses WHERE order_reference = ? AND order_position = ?")
        existing.bind(license.orderReference)
        existing.bind(license.orderPosition)
        guard try !existing.findsRow() else { return false }
        do {
            try insert(license)
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_FOREIGNKEY {
            throw PortalError.badRequest("the license names a company or product that does not exist; import it first")
        }
        return true
    }

    private func exists(_ sql: String, _ arguments: StatementArguments) throws -> Bool {
        try Row.fetchOne(statement(sql), arguments: arguments) != nil
    }
}
