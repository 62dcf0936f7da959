import GRDB
@testable import PortalStore
import Testing

@Suite struct StatementCacheTests {
    @Test func aStatementIsCompiledOnce() throws {
        let fixture = try StoreFixture()
        try fixture.store.pool.read { db in
            let first = try db.boundedCachedStatement(sql: "SELECT 1")
            #expect(try db.boundedCachedStatement(sql: "SELECT 1") === first)
        }
    }

    @Test func theCacheIsEmptiedWhenItHoldsMoreStatementsThanTheLimit() throws {
        let fixture = try StoreFixture()
        try fixture.store.pool.read { db in
            for index in 0..<1_000 {
                _ = try db.boundedCachedStatement(sql: "SELECT \(index) AS value_\(index)", limit: 50)
                // The limit, the new statement, and GRDB's own few (BEGIN, COMMIT).
                #expect(!db.holdsMoreStatements(than: 55), "after \(index + 1) statements")
            }
            #expect(db.holdsMoreStatements(than: 10), "the cache keeps statements between emptyings")
        }
    }
}
