import Foundation
import Logging
import PortalCore
@testable import PortalServer
import PortalService
import PortalStore
import Synchronization
import Testing

/// The scheduler thread's pass: the license scheduler and the offer expiry each on its own, so
/// that one failing does not keep the other from running.
@Suite struct SchedulerThreadTests {
    /// A store whose first write fails, as a locked database would; the others go through, counted.
    final class FirstWriteFails: Store {
        let base: SQLiteStore
        let writes = Mutex(0)

        init(base: SQLiteStore) { self.base = base }

        func metadata() throws -> StoreMetadata { try base.metadata() }
        func read<T>(_ body: (any StoreReader) throws -> T) throws -> T { try base.read(body) }
        func write<T>(_ body: (any StoreWriter) throws -> T) throws -> T {
            guard writes.withLock({ count in count += 1; return count }) > 1 else { throw StoreError("database is locked") }
            return try base.write(body)
        }
    }

    @Test func theOfferExpiryRunsWhenTheLicenseSchedulerFails() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("scheduler-thread-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = FirstWriteFails(base: try SQLiteStore(path: folder.appendingPathComponent("portal.sqlite").path))
        let stop = try ShutdownTrigger()
        // An hour between passes: only the first pass runs within the test.
        let thread = JoinableThread(name: "test-scheduler") {
            SchedulerThread(
                scheduler: LicenseScheduler(store: store), clock: SystemWallClock(), intervalSeconds: 3_600, stop: stop,
                logger: Logger(label: "test")
            ).run()
        }
        // The license scheduler writes first in a pass and fails; the offer expiry writes next.
        let deadline = Date().addingTimeInterval(10)
        while store.writes.withLock({ $0 }) < 2, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        stop.fire()
        #expect(thread.join(timeout: 10))
        #expect(store.writes.withLock { $0 } == 2, "the offer expiry ran in the pass the license scheduler failed in")
    }
}
