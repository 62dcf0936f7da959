import Dispatch
import Foundation
import PortalCore
import PortalStore
import Synchronization
import Testing

/// Commits synced later: counted when they return, durable (and their events publishable) only
/// after a sync, many commits per sync when writers keep coming.
@Suite struct CommitSyncTests {
    let fixture: StoreFixture
    let store: SQLiteStore
    let sync: CommitSync

    init() throws {
        fixture = try StoreFixture()
        store = try SQLiteStore(path: fixture.path, commits: .groupedSyncedLater)
        sync = try #require(store.deferredSync)
    }

    private func companyWithEvent(_ id: String) -> (any StoreWriter) throws -> Void {
        { writer in
            try writer.insert(fixture.company(id))
            try writer.append([PortalEvent(type: .companyCreated, at: StoreFixture.start, company: id, data: [:])])
        }
    }

    @Test func aCommitCountsAtOnceAndIsDurableOnlyAfterTheNextSync() throws {
        #expect(sync.committed == 0 && sync.synced == 0)
        try store.write(companyWithEvent("co_a"))
        // Visible to readers at once, not yet durable.
        #expect(try store.read { try $0.company(id: "co_a") } != nil)
        #expect(sync.committed == 1 && sync.synced == 0 && sync.durableEventSeq == 0)
        try sync.sync()
        #expect(sync.synced == 1 && sync.durableEventSeq == 1)
        try store.write(companyWithEvent("co_b"))
        #expect(sync.synced == 1 && sync.durableEventSeq == 1)
        try sync.sync()
        #expect(sync.synced == 2 && sync.durableEventSeq == 2)
    }

    /// An import's transaction without reference checks commits outside group commit; it counts
    /// all the same, or a reply could leave before its sync.
    @Test func aWriteWithoutReferenceChecksCountsAsACommit() throws {
        try store.writeWithoutReferenceChecks(companyWithEvent("co_imported"))
        #expect(sync.committed == 1 && sync.synced == 0)
        try sync.sync()
        #expect(sync.synced == 1 && sync.durableEventSeq == 1)
    }

    @Test func aStoreOpenedAgainCountsWhatIsThereAsDurable() throws {
        try store.write(companyWithEvent("co_a"))
        let reopened = try SQLiteStore(path: fixture.path, commits: .groupedSyncedLater)
        #expect(reopened.deferredSync?.durableEventSeq == 1)
    }

    @Test func theSyncerSleepsWithoutCommitsAndWakesForOne() throws {
        #expect(!sync.hasUnsyncedCommits(waitingUpTo: .milliseconds(10)))
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(50)) {
            try? store.write(companyWithEvent("co_late"))
        }
        // Woken by the commit, long before the timeout.
        let started = ContinuousClock.now
        #expect(sync.hasUnsyncedCommits(waitingUpTo: .seconds(30)))
        #expect(ContinuousClock.now - started < .seconds(20))
    }

    /// 8 threads × 25 writes with a syncer running as the server's does: every write ends up
    /// durable, with its event, and syncs were shared.
    @Test func writersKeepCommittingWhileOneSyncRuns() throws {
        let stop = Atomic(false)
        let syncer = Thread { [sync] in
            while !stop.load(ordering: .acquiring) {
                if sync.hasUnsyncedCommits(waitingUpTo: .milliseconds(5)) { try? sync.sync() }
            }
        }
        syncer.start()
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for step in 0..<25 {
                do {
                    try store.write(companyWithEvent("co_\(thread)_\(step)"))
                } catch {
                    Issue.record("write failed: \(error)")
                }
            }
        }
        stop.store(true, ordering: .releasing)
        try sync.sync()
        #expect(sync.synced == sync.committed)
        #expect(sync.committed <= 200 && sync.committed >= 1)
        #expect(sync.durableEventSeq == 200)
        #expect(sync.syncCount <= sync.committed + 1)
        #expect(try store.read { try $0.companies(after: nil, limit: 1_000) }.count == 200)
    }
}
