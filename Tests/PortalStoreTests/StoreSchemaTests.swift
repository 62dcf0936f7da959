import Foundation
@testable import PortalStore
import Testing

@Suite struct StoreSchemaTests {
    @Test func migrationsAreAppliedOnOpening() throws {
        let fixture = try StoreFixture()
        let metadata = try fixture.store.metadata()
        let migrations = StoreMigrations.migrator.migrations
        // Later migrations are appended; the accounts schema is the second one.
        #expect(Array(migrations.prefix(2)) == ["v1-store-meta", "v2-accounts"])
        #expect(metadata.kind == "sqlite")
        #expect(metadata.schemaVersion == migrations.last)
        #expect(UUID(uuidString: metadata.storeID) != nil, "store_id is a UUID: \(metadata.storeID)")
    }

    @Test func reopeningKeepsStoreIDAndData() throws {
        let fixture = try StoreFixture()
        let company = try fixture.insert(fixture.company())
        let before = try fixture.store.metadata()

        let reopened = try SQLiteStore(path: fixture.path)

        #expect(try reopened.metadata() == before)
        #expect(try reopened.read { reader in try reader.company(id: company.id) } == company)
    }

    @Test func everyDatabaseHasItsOwnStoreID() throws {
        let (one, two) = (try StoreFixture(), try StoreFixture())
        #expect(try one.store.metadata().storeID != two.store.metadata().storeID)
    }
}
