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
    private let path: String
    private let configuration: Configuration
    /// The connections no read holds; nil once closed.
    private let free = Mutex<[DatabaseQueue]?>([])

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
        let lent = try free.withLock { connections in
            guard connections != nil else { throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "Connection is closed") }
            return connections?.popLast()
        }
        let connection = try lent ?? DatabaseQueue(path: path, configuration: configuration)
        defer { free.withLock { $0?.append(connection) } }
        return try connection.unsafeRead(body)
    }

    /// Closes the connections; reads after this throw. Call it when no read runs: a connection
    /// lent meanwhile closes when its read ends and lets go of it.
    func close() throws {
        for connection in free.withLock({ $0.take() }) ?? [] {
            try connection.close()
        }
    }
}
