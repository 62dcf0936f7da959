import GRDB
import GRDBSQLite
import Synchronization

extension Database {
    /// Memory the compiled statements of one connection may hold before its statement cache is
    /// emptied. Each form of a query (its filters, sort and number of listed values) is a
    /// statement of its own; the forms clients use are few, but nothing else would bound them.
    static let statementCacheBytes: Int32 = 8 << 20
    /// Measuring the statements' memory walks all of them, so it is done every this many
    /// lookups (of all connections); a new form costs far more to compile than a lookup, so the
    /// cache cannot outgrow the budget by much in between.
    static let lookupsBetweenChecks = 1_024
    private static let lookups = Atomic<Int>(0)

    /// The connection's cached statement for `sql`, compiled once: compiling costs more than
    /// most of our queries take to run (GRDB's authorizer inspects every column). GRDB never
    /// empties its cache, so it is emptied here when it holds more than `budget` bytes.
    func boundedCachedStatement(sql: String, budget: Int32 = statementCacheBytes) throws -> Statement {
        let lookup = Self.lookups.add(1, ordering: .relaxed).newValue
        if lookup % Self.lookupsBetweenChecks == 0, statementMemory > budget {
            // Statements in use stay valid: the cache only lets go of its references.
            releaseMemory()
        }
        return try cachedStatement(sql: sql)
    }

    /// Bytes the connection's compiled statements hold now.
    var statementMemory: Int32 {
        var used: Int32 = 0
        var highWater: Int32 = 0
        return sqlite3_db_status(sqliteConnection, SQLITE_DBSTATUS_STMT_USED, &used, &highWater, 0) == SQLITE_OK ? used : 0
    }
}
