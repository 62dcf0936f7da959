import Dispatch
import Foundation
import GRDB
import Synchronization

/// Copies the WAL into the database file on a thread of its own, so that the writer's own
/// checkpoints (`wal_autocheckpoint`, run within its commits) find little left to copy: a bulk
/// writer's (`SQLiteStore.checkpointingInBackground`) and the server's
/// (`SQLiteStore.startBackgroundCheckpoints`), whose writes run one at a time and would all wait
/// behind a checkpoint run within one of them.
///
/// A passive checkpoint every `period`, on a connection of its own: it copies what is committed,
/// never waits for the writer and never holds it up. The writer's checkpoints still bound the
/// WAL: SQLite starts the WAL over only when a writer begins a transaction with all of it
/// copied, and under steady writes this thread rarely finishes between a commit and the
/// writer's next transaction.
public final class BackgroundCheckpoints: Sendable {
    private let connection: DatabaseQueue
    private let stopping = DispatchSemaphore(value: 0)
    private let stopped = DispatchSemaphore(value: 0)
    /// What the first failed checkpoint said.
    private let failure = Mutex<String?>(nil)

    /// `failed` hears of the first failed checkpoint when it happens (later ones say the same).
    init(path: String, period: Duration, failed: @escaping @Sendable (String) -> Void = { _ in }) throws {
        connection = try DatabaseQueue(path: path)
        let seconds = Double(period / .milliseconds(1)) / 1_000
        let thread = Thread { [self] in
            while stopping.wait(timeout: .now() + seconds) == .timedOut {
                do {
                    try checkpoint()
                } catch {
                    let first = failure.withLock { failure in
                        defer { failure = failure ?? "\(error)" }
                        return failure == nil
                    }
                    if first { failed("\(error)") }
                }
            }
            stopped.signal()
        }
        thread.name = "portal.store.checkpoints"
        thread.start()
    }

    private func checkpoint() throws {
        do {
            _ = try connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            // The writer is running its own checkpoint: the next one copies what it leaves.
        }
    }

    /// Stops the thread once its checkpoint in progress is done and closes its connection (so
    /// that the store's own connections close last); throws when a checkpoint failed. Once only.
    public func stop() throws {
        stopping.signal()
        stopped.wait()
        try connection.close()
        if let failure = failure.withLock({ $0 }) { throw StoreError("a background checkpoint failed: \(failure)") }
    }
}
