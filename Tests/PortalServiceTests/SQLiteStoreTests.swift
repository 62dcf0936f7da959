import Foundation
import PortalCore
import PortalStore
import Testing

@Suite struct SQLiteStoreTests {
    @Test func openingCreatesTheFileAndItsFolders() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("nested/deeper/portal.sqlite")
        let store = try SQLiteStore(path: path)
        #expect(FileManager.default.fileExists(atPath: path))
        let metadata = try store.metadata()
        #expect(metadata.kind == "sqlite")
        #expect(!metadata.storeID.isEmpty)
        #expect(!metadata.schemaVersion.isEmpty)
    }

    @Test func reopeningKeepsTheStoreIdentity() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("portal.sqlite")
        let first = try SQLiteStore(path: path).metadata()
        let second = try SQLiteStore(path: path).metadata()
        #expect(first == second)
    }

    @Test func twoDatabasesHaveDifferentIdentities() throws {
        let folder = try TemporaryFolder()
        let one = try SQLiteStore(path: folder.path("one.sqlite")).metadata()
        let two = try SQLiteStore(path: folder.path("two.sqlite")).metadata()
        #expect(one.storeID != two.storeID)
        #expect(one.schemaVersion == two.schemaVersion)
    }

    @Test func aPathThatCannotBeCreatedThrows() {
        #expect(throws: (any Error).self) { try SQLiteStore(path: "/dev/null/portal/portal.sqlite") }
    }
}

extension SQLiteStoreTests {
    @Test func aStoreWithoutDurableCommitsMakesThemDurableAtTheEnd() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("portal.sqlite")
        let store = try SQLiteStore(path: path, commits: .bulk)
        let company = Company(id: "co_bulk", name: "Bulk AG", views: [.customer], createdAt: Date(timeIntervalSince1970: 1_700_000_000))
        try store.write { writer in try writer.insert(company) }
        #expect(try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int ?? 0 > 0, "the commit is in the WAL")

        // A reader holding an old snapshot (a server using the database) keeps the WAL from being
        // copied: the commits are made durable all the same.
        let server = try SQLiteStore(path: path)
        try server.read { reader in
            #expect(try reader.company(id: "co_bulk") != nil, "the reader's snapshot holds the WAL")
            try store.makeDurable()
        }
        #expect(try SQLiteStore(path: path).read { try $0.company(id: "co_bulk")?.name } == "Bulk AG")
    }
}
