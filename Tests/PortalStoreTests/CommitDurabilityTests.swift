import GRDB
@testable import PortalStore
import Testing

/// Each way of committing leaves the writer connection syncing as it promises: every commit
/// (`synchronous = FULL`) where `write` returns durable, only at checkpoints (`NORMAL`) where
/// someone else makes commits durable (`CommitSync`, `makeDurable`).
@Suite struct CommitDurabilityTests {
    @Test(arguments: [
        (SQLiteStore.Commits.grouped, 2), (.separate, 2), (.groupedSyncedLater, 1), (.bulk, 1),
    ])
    func theWriterSyncsAsItsCommitsPromise(commits: SQLiteStore.Commits, level: Int) throws {
        let fixture = try StoreFixture()
        let store = try SQLiteStore(path: fixture.path + "-\(commits)", commits: commits)
        let synchronous = try store.pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        #expect(synchronous == level, "\(commits)")
    }

    @Test func aBulkWriterCheckpointsLate() throws {
        let fixture = try StoreFixture()
        let store = try SQLiteStore(path: fixture.path + "-bulk", commits: .bulk)
        let pages = try store.pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") }
        #expect(pages == SQLiteStore.bulkCheckpointPages)
    }
}
