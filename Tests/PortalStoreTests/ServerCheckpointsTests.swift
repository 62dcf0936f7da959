import Foundation
@testable import PortalStore
import Synchronization
import Testing

/// The server's background checkpoints: commits reach the database file without the writer
/// checkpointing within them, and the writer's own checkpoints wait for a WAL of 40 MiB.
@Suite struct ServerCheckpointsTests {
    let fixture: StoreFixture

    init() throws {
        fixture = try StoreFixture()
    }

    @Test func aServersCheckpointsRunBesideItsWrites() throws {
        let store = try SQLiteStore(path: fixture.path, commits: .groupedSyncedLater)
        let size = { (try FileManager.default.attributesOfItem(atPath: fixture.path)[.size] as? Int) ?? 0 }
        // Everything written so far (the migrations) in the database file first: only the new
        // commit can make it grow.
        _ = try store.pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        let before = try size()
        let failures = Mutex<[String]>([])
        let checkpoints = try store.startBackgroundCheckpoints(every: .milliseconds(20)) { failure in
            failures.withLock { $0.append(failure) }
        }
        let writerCheckpointsAfter = try store.pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") }
        #expect(writerCheckpointsAfter == SQLiteStore.serverCheckpointPages)
        try store.write { writer in try LicenseRows.insert(count: 500, into: writer) }
        let deadline = ContinuousClock.now + .seconds(10)
        while try size() <= before, ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.02) }
        #expect(try size() > before, "copied by the background thread: the writer waits for 10,000 pages")
        try checkpoints.stop()
        #expect(failures.withLock { $0 }.isEmpty)
        #expect(try store.read { try $0.licenseCount() } == 500)
    }
}
