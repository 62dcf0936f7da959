import Foundation
import GRDB
import PortalCore
@testable import PortalStore
import Testing

/// The listing indexes of licenses: the list matches the migrations, a large import may leave
/// them out and build them again, and opening a store restores them.
@Suite struct LicenseIndexesTests {
    let fixture: StoreFixture

    init() throws {
        fixture = try StoreFixture()
    }

    /// Every index on `licenses` with its SQL (whitespace made single spaces), the unique ones
    /// SQLite makes (no SQL) included by name.
    private func schema(_ store: SQLiteStore) throws -> [String: String] {
        try store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'licenses'")
                .reduce(into: [:]) { schema, row in schema[row[0]] = Self.normalised(row[1] ?? "") }
        }
    }

    private static func normalised(_ sql: String) -> String {
        sql.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    @Test func theListIsExactlyTheIndexesTheMigrationsCreate() throws {
        let created = try schema(fixture.store).filter { !$0.value.isEmpty }
        let listed = Dictionary(uniqueKeysWithValues: LicenseIndexes.all.map { ($0.name, "CREATE INDEX \($0.name) \($0.body)") })
        #expect(created == listed)
    }

    @Test func indexesLeftOutWhileWritingAreBuiltAgainAsTheMigrationsMadeThem() throws {
        let before = try schema(fixture.store)
        let missingMeanwhile = try fixture.store.deferringLicenseIndexes {
            try fixture.store.write { writer in try LicenseRows.insert(count: 20, into: writer) }
            return try fixture.store.missingLicenseIndexes()
        }
        #expect(missingMeanwhile == LicenseIndexes.all.map(\.name))
        #expect(try schema(fixture.store) == before)
        #expect(try fixture.store.integrityProblems() == [], "the rebuilt indexes hold every license")
    }

    @Test func indexesAreBuiltAgainWhenTheWriterFails() throws {
        struct Interrupted: Error {}
        #expect(throws: Interrupted.self) {
            try fixture.store.deferringLicenseIndexes { throw Interrupted() }
        }
        #expect(try fixture.store.missingLicenseIndexes() == [])
    }

    @Test func aStoreOpenedAfterTheIndexesWereDroppedHasThemAgain() throws {
        try fixture.store.pool.write { db in try db.execute(sql: "DROP INDEX licenses_owner; DROP INDEX licenses_test_phase") }
        #expect(try fixture.store.missingLicenseIndexes() == ["licenses_owner", "licenses_test_phase"])

        let reopened = try SQLiteStore(path: fixture.path)

        #expect(try reopened.missingLicenseIndexes() == [])
        #expect(try schema(reopened) == schema(try StoreFixture().store))
    }

    /// An import of another process that still runs builds them at its end: a store opened
    /// meanwhile (a server starting) must not take the write lock for the build. Once that
    /// process has gone (killed), the next store opened builds them.
    @Test func aStoreOpenedWhileAnotherProcessImportsLeavesTheIndexesToIt() throws {
        func markDroppedBy(_ pid: pid_t) throws {
            try fixture.store.pool.write { db in
                try db.execute(sql: "DROP INDEX licenses_owner")
                try db.execute(
                    sql: "INSERT INTO store_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    arguments: [SQLiteStore.deferringProcessKey, String(pid)])
            }
        }
        // The parent of the test process: alive, and not this process.
        try markDroppedBy(getppid())
        #expect(try SQLiteStore(path: fixture.path).missingLicenseIndexes() == ["licenses_owner"])

        try fixture.store.pool.write { db in try db.execute(sql: "CREATE INDEX licenses_owner ON licenses (owner_id, service_end, id)") }
        // A process number far above any in use: that import has gone.
        try markDroppedBy(Int32.max - 1)
        #expect(try SQLiteStore(path: fixture.path).missingLicenseIndexes() == [])
    }

    @Test func openingAStoreThatHasThemChangesNothing() throws {
        let version = { try self.fixture.store.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA schema_version") } }
        let before = try version()
        _ = try SQLiteStore(path: fixture.path)
        #expect(try version() == before)
    }

    @Test func theLicenseCountIsTheLicensesWritten() throws {
        #expect(try fixture.store.read { try $0.licenseCount() } == 0)
        try fixture.store.write { writer in try LicenseRows.insert(count: 7, into: writer) }
        #expect(try fixture.store.read { try $0.licenseCount() } == 7)
    }
}
