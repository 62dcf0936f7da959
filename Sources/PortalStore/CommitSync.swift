import Dispatch
import Foundation
import GRDB
import Synchronization

/// Makes commits durable after they have returned: one fsync of the WAL for every commit made
/// since the last one.
///
/// A server whose writes waited for their own fsync (2.2 ms here) would keep a worker idle through
/// each, and two workers would put at most two writes into one sync. Instead its commits use
/// `synchronous=NORMAL` (in the WAL, not yet synced: a power cut may lose them, a crash of the
/// process does not, and the database stays consistent either way), and one thread calls `sync()`
/// whenever commits are waiting. Whoever may only act on durable writes waits for `synced`: the
/// broker holds a reply until the sync after the commits its command saw, the publisher sends
/// events only through `durableEventSeq`. Nothing outside the process learns of a write before a
/// power cut can no longer take it back.
public final class CommitSync: Sendable {
    private let walPath: String
    private let pool: DatabasePool
    /// Commits about to happen: counted before SQLite's COMMIT, so that a reader who can see a
    /// commit also counts it. Ahead of `endedCommits` by at most the one commit in progress.
    private let commits = Atomic<UInt64>(0)
    /// Commits that have returned (or failed): all of them in the WAL, what a sync can cover.
    private let endedCommits = Atomic<UInt64>(0)
    private let syncedCommits = Atomic<UInt64>(0)
    private let syncedEventSeq = Atomic<Int64>(0)
    private let syncs = Atomic<UInt64>(0)
    /// Set while the syncing thread sleeps for want of commits, so that only then a commit wakes it.
    private let syncerWaiting = Atomic<Bool>(false)
    private let commitArrived = DispatchSemaphore(value: 0)

    /// Syncs once, so that what earlier runs committed counts as durable from the start, and the
    /// folder once, so that the WAL file itself (created when the database was opened) is there
    /// after a power cut: SQLite syncs it only at checkpoints with `synchronous=NORMAL`.
    init(databasePath: String, pool: DatabasePool) throws {
        walPath = databasePath + "-wal"
        self.pool = pool
        try Self.syncFile(URL(fileURLWithPath: databasePath).deletingLastPathComponent().path, missingIsFine: false)
        try sync()
    }

    /// Commits begun so far: a command that ends now has seen at most these.
    public var committed: UInt64 { commits.load(ordering: .sequentiallyConsistent) }
    /// Commits known durable: a reply that saw at most these may leave.
    public var synced: UInt64 { syncedCommits.load(ordering: .acquiring) }
    /// The last event `seq` known durable: events up to it may be published.
    public var durableEventSeq: Int64 { syncedEventSeq.load(ordering: .acquiring) }
    /// Syncs done since the store opened; with `committed`, how many commits shared each.
    public var syncCount: UInt64 { syncs.load(ordering: .relaxed) }

    /// Counts a commit about to be made, inside the transaction (its writer holds the lock, so
    /// commits begin and end one at a time). Before it is visible to any reader.
    func commitBegins() {
        commits.add(1, ordering: .sequentiallyConsistent)
    }

    /// Counts the commit begun last as ended, made or failed (a failed one shows nothing to wait
    /// for); wakes the syncing thread when it sleeps.
    func commitEnded() {
        // Sequentially consistent, with the flag's store and the count's load on the syncing
        // thread: either it sees this commit, or this sees it waiting and wakes it.
        endedCommits.add(1, ordering: .sequentiallyConsistent)
        if syncerWaiting.exchange(false, ordering: .sequentiallyConsistent) { commitArrived.signal() }
    }

    /// Whether commits wait for a sync, waiting up to `timeout` for one when none does.
    public func hasUnsyncedCommits(waitingUpTo timeout: Duration) -> Bool {
        if ended > synced { return true }
        syncerWaiting.store(true, ordering: .sequentiallyConsistent)
        // A commit between the first check and the flag has not signalled: look again.
        if ended > synced {
            syncerWaiting.store(false, ordering: .relaxed)
            return true
        }
        let nanoseconds = timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
        _ = commitArrived.wait(timeout: .now() + .nanoseconds(Int(nanoseconds)))
        syncerWaiting.store(false, ordering: .relaxed)
        return ended > synced
    }

    private var ended: UInt64 { endedCommits.load(ordering: .sequentiallyConsistent) }

    /// Makes every commit that has returned durable: reads how far they are, then syncs the WAL
    /// they are written to. Throws when the sync fails; then nothing after the last good sync may
    /// be taken as durable, and the caller must stop (a failed fsync cannot be retried safely:
    /// the kernel may have dropped the pages it could not write).
    public func sync() throws {
        // Both read before the sync: every commit they count is in the WAL by then.
        let target = ended
        let eventSeq = try pool.read { db in
            try Int64.fetchOne(db.cachedStatement(sql: "SELECT last_seq FROM event_sequence")) ?? 0
        }
        try syncWAL()
        // Never backwards: when two syncs overlap (a final one while the syncing thread finishes
        // its last), the one that read less may finish later.
        syncedEventSeq.max(eventSeq, ordering: .releasing)
        syncedCommits.max(target, ordering: .releasing)
        syncs.add(1, ordering: .relaxed)
    }

    /// fsync of the WAL file. Any descriptor of a file syncs all of it, whoever wrote the pages,
    /// so a descriptor of our own serves, opened each time (SQLite may recreate the file).
    private func syncWAL() throws {
        // No WAL (yet): nothing written through one either.
        try Self.syncFile(walPath, missingIsFine: true)
    }

    private static func syncFile(_ path: String, missingIsFine: Bool) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            if errno == ENOENT && missingIsFine { return }
            throw StoreError("cannot open \(path) to sync it: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else {
            throw StoreError("syncing \(path) failed: \(String(cString: strerror(errno)))")
        }
    }
}
