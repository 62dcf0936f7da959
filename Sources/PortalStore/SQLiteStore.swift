import Foundation
import GRDB
import PortalCore

/// The embedded default store: one SQLite file in WAL mode, shared by all worker threads.
///
/// Reads run concurrently with the single writer (GRDB's `DatabasePool` writes, reads take
/// read-only connections of their own: `ReaderConnections`). How commits become
/// durable is `Commits`: synced before `write` returns (`synchronous=FULL`), or for the server,
/// synced later by `deferredSync` with the replies waiting for it; either way an acknowledged
/// write survives a power cut.
public final class SQLiteStore: Store {
    public let path: String
    let pool: DatabasePool
    /// The connections `read` runs on.
    private let readers: ReaderConnections
    /// Nil when every write commits on its own (the comparison run of group commit).
    private let groupCommit: GroupCommit?
    /// Set when commits return before they are durable (`Commits.groupedSyncedLater`).
    public let deferredSync: CommitSync?
    let accessChangeCounter = AccessChangeCounter()
    /// The license change number as this process knows it; its writes make theirs known.
    let licenseChanges = LicenseChangeNumber()
    public var accessChanges: AccessChangeCounter? { accessChangeCounter }

    /// How writes become durable.
    public enum Commits: Sendable {
        /// Writes of several threads share one commit; `write` returns once it is durable (its
        /// fsync done). For tools and tests: every `write` that returned is durable.
        case grouped
        /// Writes of several threads share one commit, which is not synced when `write` returns:
        /// `deferredSync` syncs (one fsync for every commit since the last) and says how far
        /// commits are durable. For the server, whose broker holds replies until then.
        case groupedSyncedLater
        /// Every write commits and syncs on its own: group commit off, for comparison.
        case separate
        /// For a bulk writer that makes its work durable once, at its end, with `makeDurable()`:
        /// commits are not synced (`synchronous=NORMAL`: the database stays consistent through a
        /// crash or power cut, but the last commits before it may be lost), and the WAL grows to
        /// `bulkCheckpointPages` before it is copied into the database, so that an index page
        /// that many transactions change is written there once, not after each of them.
        case bulk
    }

    /// Opens (creating the file and its folder when missing) and migrates the database at `path`.
    ///
    /// `pageCacheMiB` is the page cache of each connection: the server's default keeps memory
    /// small; bulk writers (import, demo data) give it more, so that the random inserts into the
    /// key and party indexes of a million licenses find their pages in memory.
    public init(path: String, pageCacheMiB: Int = 32, commits: Commits = .grouped) throws {
        self.path = path
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch let error as CocoaError {
            // Foundation's own text is a dump of the error; the POSIX reason is what helps.
            let reason = (error.underlying as? POSIXError).map { String(cString: strerror($0.code.rawValue)) }
            throw StoreError("cannot create the folder \(folder.path): \(reason ?? error.localizedDescription)")
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            // SQLite's default is 2 MiB; the cache only grows as it is used.
            try db.execute(sql: "PRAGMA cache_size = \(-pageCacheMiB * 1_024)")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        // Set on the opened writer, not in `prepareDatabase`: GRDB sets `synchronous = NORMAL`
        // on its writer after that has run (WAL mode's usual choice), which left the commits of
        // `.grouped` and `.separate` unsynced.
        try pool.writeWithoutTransaction { db in try db.execute(sql: Self.writerSettings(for: commits)) }
        readers = ReaderConnections(path: path, configuration: configuration)
        try StoreMigrations.migrator.migrate(pool)
        switch commits {
        case .grouped:
            deferredSync = nil
            groupCommit = GroupCommit(pool: pool, licenseChanges: licenseChanges)
        case .groupedSyncedLater:
            let sync = try CommitSync(databasePath: path, pool: pool)
            deferredSync = sync
            groupCommit = GroupCommit(pool: pool, commitSync: sync, licenseChanges: licenseChanges)
        case .separate, .bulk:
            deferredSync = nil
            groupCommit = nil
        }
        try restoreLicenseIndexes(unlessAnImportRuns: true)
    }

    deinit {
        // Before the pool's connections, as GRDB closes its own readers before its writer: the
        // last connection to close copies the WAL into the database and removes it, which a
        // read-only one cannot do.
        try? readers.close()
    }

    /// The writer's pragmas for `commits`: whether SQLite syncs the WAL at every commit.
    static func writerSettings(for commits: Commits) -> String {
        switch commits {
        case .grouped, .separate: "PRAGMA synchronous = FULL"
        case .groupedSyncedLater: "PRAGMA synchronous = NORMAL"
        case .bulk: "PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = \(bulkCheckpointPages)"
        }
    }

    /// WAL pages after which a store without durable commits copies the WAL into the database:
    /// 400 MiB, a few transactions of a large import.
    static let bulkCheckpointPages = 100_000

    /// Makes every commit so far durable (for a store opened for `Commits.bulk`): one
    /// last commit with `synchronous=FULL` (it records when, in `store_meta`) syncs the WAL, and
    /// with it every commit before. Then the WAL is copied into the database as far as readers
    /// allow (a server using the database may hold some of it; its own commits copy the rest).
    public func makeDurable() throws {
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            defer { try? db.execute(sql: "PRAGMA synchronous = NORMAL") }
            try db.inTransaction {
                try Self.setMetadata("bulk_write_synced_at", to: RFC3339.string(from: Date()), in: db)
                return .commit
            }
            _ = try db.checkpoint(.passive)
        }
    }

    /// Sets a `store_meta` entry: facts about the database kept in it (its id, the last bulk sync).
    static func setMetadata(_ key: String, to value: String, in db: Database) throws {
        try db.execute(
            sql: "INSERT INTO store_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            arguments: [key, value])
    }

    /// The isolation of GRDB's `read`, a deferred transaction, but begun and ended by statements
    /// compiled once: GRDB's compiles BEGIN and COMMIT for every read, which cost a `license.get`
    /// a twentieth of its instructions.
    public func read<T>(_ body: (any StoreReader) throws -> T) throws -> T {
        try readers.read { db in
            try db.cachedStatement(sql: "BEGIN DEFERRED TRANSACTION").execute()
            do {
                let result = try body(SQLiteTransaction(db: db, accessChanges: accessChangeCounter))
                try db.cachedStatement(sql: "COMMIT TRANSACTION").execute()
                return result
            } catch {
                // Never back among the free connections with the snapshot still held.
                try? db.cachedStatement(sql: "ROLLBACK TRANSACTION").execute()
                throw error
            }
        }
    }

    /// The counter the triggers of `StoreMigrations.licenseChangeSchema` move, as this process
    /// knows it (`LicenseChangeNumber`): its own commits count at once, other processes' within
    /// `LicenseChangeNumber.rereadInterval`.
    public func licenseChangeNumber() throws -> UInt64? {
        try licenseChanges.current { try readers.read(LicenseChangeNumber.read) }
    }

    /// How soon another process's commit (an import, SQL typed by hand) moves `licenseChangeNumber`.
    public static let otherProcessesChangesShowWithin = LicenseChangeNumber.rereadInterval

    public func write<T>(_ body: (any StoreWriter) throws -> T) throws -> T {
        if let groupCommit {
            return try groupCommit.write { db in try body(SQLiteTransaction(db: db, accessChanges: accessChangeCounter)) }
        }
        var changeNumber: UInt64?
        let result = try pool.write { db in
            let result = try body(SQLiteTransaction(db: db, accessChanges: accessChangeCounter))
            changeNumber = try? LicenseChangeNumber.read(in: db)
            return result
        }
        licenseChanges.committed(changeNumber)
        return result
    }

    /// SQLite's own check of the whole file (`PRAGMA integrity_check`): the problems it finds,
    /// none for a sound database. Reads every page: for tests and maintenance, not for serving.
    public func integrityProblems() throws -> [String] {
        let report = try pool.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        return report == ["ok"] ? [] : report
    }

    public func metadata() throws -> StoreMetadata {
        try pool.read { db in
            let storeID = try String.fetchOne(db, sql: "SELECT value FROM store_meta WHERE key = 'store_id'")
            let migrations = try StoreMigrations.migrator.appliedMigrations(db)
            return StoreMetadata(kind: "sqlite", storeID: storeID ?? "", schemaVersion: migrations.last ?? "")
        }
    }
}
