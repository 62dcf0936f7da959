import Dispatch
import Foundation
import GRDB
import Synchronization

/// Commits the writes of several threads together, in one commit for all.
///
/// With `synchronous=FULL` a commit costs an fsync, about 1,600 per second here; a write per
/// commit would cap the whole server there. Writers queue up; the one at the front runs every
/// write queued at that moment in one transaction, each in its own savepoint, so that a write
/// that throws rolls back alone and gets its own error, then commits once and wakes the others
/// with their results, and the next writer in the queue leads the next batch. A writer returns
/// only after the commit that holds its changes: durable by then with `synchronous=FULL`; with
/// `synchronous=NORMAL` (the server's, `CommitSync` syncing later for many commits at once)
/// durable at the next sync. When the commit itself fails, every write of the batch gets that
/// error (none of them happened).
///
/// The leader runs exactly one batch, its own among it, so no thread is kept leading while
/// others keep arriving.
final class GroupCommit: Sendable {
    private let pool: DatabasePool
    /// Writes per transaction at most, so that one commit never waits for too many savepoints.
    private let maxBatch: Int
    /// The queue; its first entry is the leader of the batch in progress (or about to start).
    private let queue = Mutex<[PendingWrite]>([])

    /// Whether this thread is running a write's body (as the leader of its batch).
    private static var isWriting: Bool {
        get { Thread.current.threadDictionary[writingKey] != nil }
        set { Thread.current.threadDictionary[writingKey] = newValue ? true : nil }
    }
    private static let writingKey = "portal.store.group-commit.writing"

    /// Counts the commits, when they are synced later.
    private let commitSync: CommitSync?
    /// Hears the license change number each commit leaves.
    private let licenseChanges: LicenseChangeNumber?

    init(pool: DatabasePool, maxBatch: Int = 128, commitSync: CommitSync? = nil, licenseChanges: LicenseChangeNumber? = nil) {
        self.pool = pool
        self.maxBatch = maxBatch
        self.commitSync = commitSync
        self.licenseChanges = licenseChanges
    }

    /// Runs `body` in a savepoint of the next group transaction and returns once that committed.
    /// `body` must not write through the store again: it would wait for itself.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        // A nested write would queue behind its own batch forever; GRDB refused it loudly before
        // writes were grouped, and so does this.
        precondition(!Self.isWriting, "store writes do not nest: use StoreWriter.nested inside a write")
        return try withoutActuallyEscaping(body) { body in
            var result: Result<T, any Error>?
            let pending = PendingWrite { db in
                Self.isWriting = true
                defer { Self.isWriting = false }
                result = Result { try body(db) }
                if case .failure(let error) = result { throw error }
            }
            let leads = queue.withLock { queue in
                queue.append(pending)
                return queue.count == 1
            }
            if !leads { pending.wakeUp.wait() }
            if !pending.isDone { lead() }
            if let commitFailure = pending.commitFailure { throw commitFailure }
            // Set by the leader's transaction before it woke this thread. A savepoint that failed
            // (before the write ran, or releasing it) left nothing of the write committed.
            switch (result, pending.savepointFailure) {
            case (.failure(let error)?, _): throw error
            case (_, let failure?): throw failure
            case (.success(let value)?, nil): return value
            case (nil, nil): throw StoreError("a grouped write was not run")
            }
        }
    }

    /// Runs the writes queued now (this thread's first) as one transaction, wakes their writers,
    /// and hands the lead to the next writer in the queue.
    private func lead() {
        let batch = queue.withLock { Array($0.prefix(maxBatch)) }
        var commitBegun = false
        var changeNumber: UInt64?
        do {
            try pool.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    for write in batch {
                        // A write's own error is kept in its result, its changes rolled back; an
                        // error of the savepoint itself (before the write ran) becomes its result.
                        do {
                            try db.inSavepoint {
                                try write.run?(db)
                                return .commit
                            }
                        } catch {
                            write.savepointFailure = error
                        }
                    }
                    if licenseChanges != nil { changeNumber = try? LicenseChangeNumber.read(in: db) }
                    // Counted before it is visible, so that whoever can read it counts it.
                    commitSync?.commitBegins()
                    commitBegun = true
                    return .commit
                }
            }
            // Before the writers return: a read after a write's reply sees what it changed.
            licenseChanges?.committed(changeNumber)
        } catch {
            for write in batch { write.commitFailure = error }
        }
        if commitBegun { commitSync?.commitEnded() }
        let next = queue.withLock { queue in
            queue.removeFirst(batch.count)
            return queue.first
        }
        for write in batch {
            // The write's body must be released before its writer returns: it is a non-escaping
            // closure, which `withoutActuallyEscaping` checks.
            write.run = nil
            write.isDone = true
            if write !== batch[0] { write.wakeUp.signal() }
        }
        next?.wakeUp.signal()
    }
}

/// One write waiting for its group's commit.
///
/// `@unchecked Sendable`: it crosses from its writer's thread to the leader's and back. The
/// leader writes `isDone` and `commitFailure` (and `run` writes the result) before it signals
/// `wakeUp`; the writer reads them only after waiting for it, or on its own thread when it led.
private final class PendingWrite: @unchecked Sendable {
    /// The write, run by the leader; nil once it is done.
    var run: ((Database) throws -> Void)?
    var isDone = false
    var commitFailure: (any Error)?
    /// The error of the write's savepoint, when opening or closing it failed.
    var savepointFailure: (any Error)?
    /// Signalled once: when the write is done, or when its writer is to lead the next batch.
    let wakeUp = DispatchSemaphore(value: 0)

    init(_ run: @escaping (Database) throws -> Void) {
        self.run = run
    }
}
