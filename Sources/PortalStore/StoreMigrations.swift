import Foundation
import GRDB
import PortalCore

/// The schema, as named migrations applied in order at start-up.
///
/// A migration that has shipped is never edited: change the schema by appending a new one.
/// SQL is written by hand in snake_case so that the same statements serve PostgreSQL.
enum StoreMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-store-meta") { db in
            // Facts about the database itself: its identity (so nodes and backups can tell
            // databases apart) and when it was created.
            try db.execute(sql: """
                CREATE TABLE store_meta (
                    key TEXT PRIMARY KEY NOT NULL,
                    value TEXT NOT NULL
                )
                """)
            try db.execute(
                sql: "INSERT INTO store_meta (key, value) VALUES ('store_id', ?), ('created_at', ?)",
                arguments: [UUID().uuidString.lowercased(), RFC3339.string(from: Date())])
        }
        return migrator
    }
}
