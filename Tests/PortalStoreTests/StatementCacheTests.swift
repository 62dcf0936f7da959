import GRDB
@testable import PortalStore
import Testing

@Suite struct StatementCacheTests {
    @Test func aStatementIsCompiledOnce() throws {
        let fixture = try StoreFixture()
        try fixture.store.pool.read { db in
            let transaction = SQLiteTransaction(db: db, accessChanges: AccessChangeCounter())
            let first = try transaction.statement("SELECT 1")
            #expect(try transaction.statement("SELECT 1") === first)
        }
    }

    @Test func theCacheIsEmptiedWhenItHoldsMoreStatementsThanTheLimit() throws {
        let fixture = try StoreFixture()
        try fixture.store.pool.read { db in
            for index in 0..<1_000 {
                db.boundStatementCache(limit: 50)
                _ = try db.cachedStatement(sql: "SELECT \(index) AS value_\(index)")
                // The limit, the new statement, and GRDB's own few (BEGIN, COMMIT).
                #expect(!db.holdsMoreStatements(than: 55), "after \(index + 1) statements")
            }
            #expect(db.holdsMoreStatements(than: 10), "the cache keeps statements between emptyings")
        }
    }

    @Test func everyTransactionBoundsTheCache() throws {
        let fixture = try StoreFixture()
        try fixture.store.pool.read { db in
            for index in 0...Database.cachedStatementLimit {
                _ = try db.cachedStatement(sql: "SELECT \(index) AS value_\(index)")
            }
            #expect(db.holdsMoreStatements(than: Database.cachedStatementLimit))
            _ = SQLiteTransaction(db: db, accessChanges: AccessChangeCounter())
            #expect(!db.holdsMoreStatements(than: 10))
        }
    }
}
