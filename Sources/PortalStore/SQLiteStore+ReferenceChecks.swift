import GRDB

extension SQLiteStore {
    /// A transaction of its own with SQLite's foreign-key checks off: each license row of an
    /// import would otherwise look up its product and up to five companies in their tables. The
    /// transaction commits as `write` commits without group commit; with group commit (a server's
    /// `license.import`) it is one commit of its own, not shared with other writes, and counted
    /// like theirs when commits are synced later.
    public func writeWithoutReferenceChecks<T>(_ body: (any StoreWriter) throws -> T) throws -> T {
        try pool.writeWithoutTransaction { db in
            // SQLite changes the setting only outside a transaction.
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            defer { try? db.execute(sql: "PRAGMA foreign_keys = ON") }
            // Committed outside group commit: counted here like its commits, before it is visible,
            // so that replies wait for its sync too.
            var commitBegun = false
            defer { if commitBegun { deferredSync?.commitEnded() } }
            var result: T?
            var changeNumber: UInt64?
            try db.inTransaction {
                result = try body(SQLiteTransaction(db: db, accessChanges: accessChangeCounter))
                changeNumber = try? LicenseChangeNumber.read(in: db)
                deferredSync?.commitBegins()
                commitBegun = true
                return .commit
            }
            licenseChanges.committed(changeNumber)
            return result!
        }
    }
}
