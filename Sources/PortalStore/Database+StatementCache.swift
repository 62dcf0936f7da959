import GRDB
import GRDBSQLite

extension Database {
    /// Compiled statements one connection may hold before its statement cache is emptied. Each
    /// form of a query (its filters, sort and number of listed values) is a statement of its
    /// own; the forms clients use are a few dozen, but nothing else would bound them.
    static let cachedStatementLimit = 500

    /// Empties the connection's statement cache when it holds more than `limit` statements.
    ///
    /// Statements are cached because compiling costs more than most of our queries take to run
    /// (GRDB's authorizer inspects every column). GRDB never empties its cache, so it is emptied
    /// here; counting walks SQLite's list of the connection's statements (measuring their memory
    /// instead walks every statement's program), taking the connection's mutex at every step.
    /// So this runs once per transaction (`SQLiteTransaction`), not for every statement: that
    /// cost a `license.get` more than all its own look-ups in the cache, and a transaction adds
    /// at most the few query forms it runs between two checks.
    func boundStatementCache(limit: Int = cachedStatementLimit) {
        // Statements in use stay valid: the cache only lets go of its references.
        if holdsMoreStatements(than: limit) { releaseMemory() }
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
