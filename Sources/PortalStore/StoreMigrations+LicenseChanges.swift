import GRDB

extension StoreMigrations {
    /// The tables whose rows a license's detail (`license.get`) shows, and the changes to them
    /// that can alter a detail already read. A license or a first history entry just inserted
    /// (`license.created`, which an import writes for each new license) is no detail anyone has
    /// read yet, a company, product or product line just inserted is named by no license yet
    /// (licenses reference them), and a new delegation only lets an integrator find licenses it
    /// found nowhere before (`not_found` is not kept), so those inserts are left out: an import
    /// does not count a million changes.
    ///
    /// A later migration that rebuilds one of these tables (create, copy, drop, rename) drops its
    /// triggers with it and must create them again, or kept results go stale.
    static let licenseChangeSources: [(table: String, changes: [String], when: String?)] = [
        ("licenses", ["UPDATE", "DELETE"], nil),
        ("activations", ["INSERT", "UPDATE", "DELETE"], nil),
        ("license_history", ["INSERT"], "NEW.type <> 'license.created'"),
        ("license_history", ["UPDATE", "DELETE"], nil),
        ("companies", ["UPDATE", "DELETE"], nil),
        ("integrator_delegations", ["UPDATE", "DELETE"], nil),
        ("products", ["UPDATE", "DELETE"], nil),
        ("product_lines", ["UPDATE", "DELETE"], nil),
    ]

    /// A counter of the changes to what licenses show, moved by triggers: every writer moves it,
    /// this server, another process (`portald import`) or an operator's SQL alike, in the
    /// transaction of the change. Results kept in memory (`license.get`) stay right while it
    /// stands; sessions, logins and other writes that no license shows leave it alone.
    static func licenseChangeSchema(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE license_change_counter (
                id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
                value INTEGER NOT NULL
            );
            INSERT INTO license_change_counter (id, value) VALUES (1, 0);
            """)
        for source in licenseChangeSources {
            for change in source.changes {
                try db.execute(sql: """
                    CREATE TRIGGER \(source.table)_\(change.lowercased())_counted AFTER \(change) ON \(source.table)
                    \(source.when.map { "WHEN \($0)" } ?? "")
                    BEGIN UPDATE license_change_counter SET value = value + 1 WHERE id = 1; END
                    """)
            }
        }
    }
}
