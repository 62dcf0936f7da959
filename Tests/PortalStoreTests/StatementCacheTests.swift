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

    @Test func theCacheIsEmptiedWhenItsStatementsOutgrowTheBudget() throws {
        let fixture = try StoreFixture()
        let budget: Int32 = 256 << 10
        try fixture.store.pool.read { db in
            var peak: Int32 = 0
            for index in 0..<(4 * Database.lookupsBetweenChecks) {
                _ = try db.boundedCachedStatement(sql: "SELECT \(index) AS value_\(index)", budget: budget)
                peak = max(peak, db.statementMemory)
            }
            #expect(peak > budget / 2, "the statements did not fill the cache: the test shows nothing")
            // Checked every `lookupsBetweenChecks` lookups: past the budget by those statements at most.
            #expect(peak <= budget + Int32(Database.lookupsBetweenChecks) * (2 << 10), "got \(peak) bytes")
        }
    }
}
