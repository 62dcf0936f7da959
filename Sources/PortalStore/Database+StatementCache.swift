import GRDB
import GRDBSQLite

extension Database {
    /// Compiled statements one connection may hold before its statement cache is emptied. Each
    /// form of a query (its filters, sort and number of listed values) is a statement of its
    /// own; the forms clients use are a few dozen, but nothing else would bound them.
    static let cachedStatementLimit = 500

    /// The connection's cached statement for `sql`, compiled once: compiling costs more than
    /// most of our queries take to run (GRDB's authorizer inspects every column). GRDB never
    /// empties its cache, so it is emptied here when the connection holds more than `limit`
    /// statements (counting them walks SQLite's list of the connection's statements, a pointer
    /// per statement: cheap; measuring their memory instead walks every statement's program).
    func boundedCachedStatement(sql: String, limit: Int = cachedStatementLimit) throws -> Statement {
        if holdsMoreStatements(than: limit) {
            // Statements in use stay valid: the cache only lets go of its references.
            releaseMemory()
        }
        return try cachedStatement(sql: sql)
    }

    /// Whether the connection has more than `limit` prepared statements.
    func holdsMoreStatements(than limit: Int) -> Bool {
        var count = 0
        var statement = sqlite3_next_stmt(sqliteConnection, nil)
        while let current = statement {
            count += 1
            if count > limit { return true }
            statement = sqlite3_next_stmt(sqliteConnection, current)
        }
        return false
    }
}
