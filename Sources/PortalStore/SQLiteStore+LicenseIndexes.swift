import Foundation
import GRDB

/// The listing indexes of licenses (`LicenseIndexes`): left out while a large import writes,
/// built again at its end, and restored when a store is opened.
extension SQLiteStore {
    /// Runs `body` (a large import) with the listing indexes dropped, then builds them again in
    /// one transaction, also when `body` throws: the rows it wrote stay, and listings need them.
    ///
    /// Meanwhile license listings and the scheduler of a server using the database read every
    /// license, and the rebuild at the end holds the write lock for seconds. Killed before the
    /// end, the import leaves the indexes missing until the database is next opened (a server
    /// starting, the import run again), which builds them; a store opened while this process
    /// still runs leaves that to it (`store_meta` names it), rather than take the write lock
    /// from the import for as long as the build takes.
    public func deferringLicenseIndexes<T>(_ body: () throws -> T) throws -> T {
        try pool.write { db in
            for index in LicenseIndexes.all {
                try db.execute(sql: "DROP INDEX IF EXISTS \(index.name)")
            }
            try Self.setMetadata(Self.deferringProcessKey, to: String(getpid()), in: db)
        }
        let result = Result(catching: body)
        try restoreLicenseIndexes()
        return try result.get()
    }

    /// Builds the listing indexes that are missing, in one transaction; when none is, it only
    /// reads the schema, so that opening a store costs nothing more.
    ///
    /// SQLite sorts an index's rows in pieces of the page cache's size. In one piece of a bulk
    /// writer's large cache, the sort ran out of the processor's caches; in small pieces, sorted
    /// by helper threads and merged, the nine indexes of 1,000,000 licenses took 7 s, not 13 s.
    /// `unlessAnImportRuns`: at open, leave them to an import of another process that still runs.
    func restoreLicenseIndexes(unlessAnImportRuns: Bool = false) throws {
        let missing = try missingLicenseIndexes()
        guard !missing.isEmpty else { return }
        if unlessAnImportRuns, let importer = try deferringProcess(), importer != getpid(),
           kill(importer, 0) == 0 || errno == EPERM {
            return
        }
        try pool.write { db in
            let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2_048
            let helpers = max(1, ProcessInfo.processInfo.activeProcessorCount - 1)
            try db.execute(sql: "PRAGMA cache_size = -2048; PRAGMA threads = \(helpers)")
            let built = Result {
                for index in LicenseIndexes.all where missing.contains(index.name) {
                    try db.execute(sql: index.createIfMissing)
                }
            }
            try db.execute(sql: "PRAGMA cache_size = \(cacheSize); PRAGMA threads = 0")
            try built.get()
            try db.execute(sql: "DELETE FROM store_meta WHERE key = ?", arguments: [Self.deferringProcessKey])
        }
    }

    /// The `store_meta` entry naming the process whose import left the indexes out.
    static let deferringProcessKey = "license_indexes_deferred_by"

    private func deferringProcess() throws -> pid_t? {
        try pool.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM store_meta WHERE key = ?", arguments: [Self.deferringProcessKey])
        }.flatMap { pid_t($0) }
    }

    /// The names of the listing indexes the database lacks, in `LicenseIndexes` order.
    func missingLicenseIndexes() throws -> [String] {
        let present = try pool.read { db in
            try Set(String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'licenses'"))
        }
        return LicenseIndexes.all.map(\.name).filter { !present.contains($0) }
    }
}
