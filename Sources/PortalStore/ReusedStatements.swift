import GRDB

/// The direct statements a transaction runs once per row of a bulk insert, each found once per
/// transaction and kept with its buffers: looking a statement up in the connection's cache
/// hashes its whole text (600 characters for a license insert, a twentieth of an import's
/// writing thread).
///
/// A few statements at most: they are found by comparing texts, which for the same constant
/// compares no characters.
final class ReusedStatements {
    private var statements: [(sql: String, statement: DirectStatement)] = []

    /// Runs `body` with the statement for `sql`.
    func with<T>(_ sql: String, in db: Database, _ body: (inout DirectStatement) throws -> T) throws -> T {
        let index: Int
        if let found = statements.firstIndex(where: { $0.sql == sql }) {
            index = found
        } else {
            statements.append((sql, try DirectStatement(db, sql: sql)))
            index = statements.count - 1
        }
        return try body(&statements[index].statement)
    }
}
