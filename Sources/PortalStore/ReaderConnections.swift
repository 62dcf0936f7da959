import GRDB
import Synchronization

/// Read-only connections to the store's database, each lent to one read at a time.
///
/// `DatabasePool` lends its readers through a barrier on a dispatch queue, a semaphore, a
/// dispatch group and a reader-writer lock, and reads the schema version before each read:
/// 30,000-40,000 instructions, a tenth of a `license.get`. Here a read takes a connection from a
/// free list under a mutex. Like the pool's readers, each is a WAL reader: its transaction sees
/// every commit made before it began, and never holds up the writer.
///
/// A read that finds no connection free opens one, so there are as many as reads ever ran at
/// once: the threads that read (workers, publisher, scheduler) are few.
final class ReaderConnections: Sendable {
    /// A connection and the `PRAGMA data_version` it last saw.
    private final class Reader: @unchecked Sendable {
        // @unchecked: `seenDataVersion` is read and written only by the read holding the
        // connection; the free list's mutex hands the reader from one thread to the next.
        let queue: DatabaseQueue
        var seenDataVersion: Int64?

        init(queue: DatabaseQueue) { self.queue = queue }
    }

    private let path: String
    private let configuration: Configuration
    /// The connections no read holds; nil once closed.
    private let free = Mutex<[Reader]?>([])
    /// Moved on whenever a connection finds that the database changed since it last looked.
    private let changes = Atomic<UInt64>(0)

    /// `configuration` is the writer's (busy timeout, connection setup); the readers open the
    /// file read-only.
    init(path: String, configuration: Configuration) {
        self.path = path
        var configuration = configuration
        configuration.readonly = true
        self.configuration = configuration
    }

    /// Runs `body` on a connection no other read uses meanwhile. `body` must end any transaction
    /// it begins.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try lend { reader in try reader.queue.unsafeRead(body) }
    }

    /// A number that has moved past every value it had before the latest commit to the file,
    /// by this process's writer or by another process: a result read after taking it stays
    /// right while the number stays. Costs one `PRAGMA data_version` (a read transaction that
    /// reads no table), no more.
    ///
    /// Each connection's data version moves when another connection has committed since that
    /// connection last looked, so the first connection to look after a commit moves the number,
    /// and no later look can come back with the number as it was before the commit.
    func changeNumber() throws -> UInt64 {
        try lend { reader in
            let version = try reader.queue.unsafeRead { db in
                try db.first("PRAGMA data_version", []) { columns in columns[0] as Int64 }
            }
            if version != reader.seenDataVersion {
                reader.seenDataVersion = version
                changes.add(1, ordering: .sequentiallyConsistent)
            }
            return changes.load(ordering: .sequentiallyConsistent)
        }
    }

    private func lend<T>(_ body: (Reader) throws -> T) throws -> T {
        let lent = try free.withLock { connections in
            guard connections != nil else { throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "Connection is closed") }
            return connections?.popLast()
        }
        let reader = try lent ?? Reader(queue: DatabaseQueue(path: path, configuration: configuration))
        defer { free.withLock { $0?.append(reader) } }
        return try body(reader)
    }

    /// Closes the connections; reads after this throw. Call it when no read runs: a connection
    /// lent meanwhile closes when its read ends and lets go of it.
    func close() throws {
        for reader in free.withLock({ $0.take() }) ?? [] {
            try reader.queue.close()
        }
    }
}
