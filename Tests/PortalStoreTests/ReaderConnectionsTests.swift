import Foundation
import GRDB
@testable import PortalStore
import Testing

@Suite struct ReaderConnectionsTests {
    let fixture: StoreFixture

    init() throws {
        fixture = try StoreFixture()
    }

    @Test func aReadSeesWhatWasCommittedBeforeItBegan() throws {
        let first = try fixture.insert(fixture.company())
        #expect(try fixture.store.read { reader in try reader.company(id: first.id) } == first)
        // The connection of the first read, reused, must not keep its old snapshot.
        let later = try fixture.insert(fixture.company())
        #expect(try fixture.store.read { reader in try reader.company(id: later.id) } == later)
    }

    @Test func readsRunningAtOnceEachHaveAConnectionOfTheirOwn() throws {
        let first = try fixture.insert(fixture.company())
        try fixture.store.read { outer in
            #expect(try outer.company(id: first.id) == first)
            let later = try fixture.insert(fixture.company())
            #expect(try fixture.store.read { inner in try inner.company(id: later.id) } == later)
            #expect(try outer.company(id: later.id) == nil, "the outer read keeps its snapshot")
        }
    }

    @Test func idleReadersHoldNoSnapshot() throws {
        let company = try fixture.insert(fixture.company())
        _ = try fixture.store.read { reader in try reader.company(id: company.id) }
        _ = try? fixture.store.read { reader in
            _ = try reader.company(id: company.id)
            throw StoreError("the read fails")
        }
        try fixture.insert(fixture.company())
        // A checkpoint that truncates the WAL waits for every reader of it (and fails when one
        // is left after the busy timeout).
        let (walFrames, checkpointed) = try fixture.store.pool.writeWithoutTransaction { db in
            try db.checkpoint(.truncate)
        }
        #expect(walFrames == checkpointed)
    }

    @Test func aStoreClosesItsReadersBeforeItsWriter() throws {
        let folder = fixture.folder.appendingPathComponent("closing", isDirectory: true)
        let path = folder.appendingPathComponent("portal.sqlite").path
        do {
            let store = try SQLiteStore(path: path)
            let company = fixture.company()
            try store.write { writer in try writer.insert(company) }
            #expect(try store.read { reader in try reader.company(id: company.id) } == company)
        }
        // Only the last connection to close removes the WAL, and a read-only one cannot.
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func aReadAfterCloseThrows() throws {
        let readers = ReaderConnections(path: fixture.path, configuration: Configuration())
        #expect(try readers.read { db in try Int.fetchOne(db, sql: "SELECT 1") } == 1)
        try readers.close()
        #expect(throws: DatabaseError.self) { try readers.read { _ in } }
    }
}
