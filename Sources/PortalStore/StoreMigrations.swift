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
        migrator.registerMigration("v2-accounts") { db in
            try db.execute(sql: """
                CREATE TABLE companies (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX companies_name ON companies (name);
                CREATE TABLE company_views (
                    company_id TEXT NOT NULL REFERENCES companies (id),
                    view TEXT NOT NULL,
                    PRIMARY KEY (company_id, view)
                );
                CREATE TABLE users (
                    id TEXT PRIMARY KEY NOT NULL,
                    company_id TEXT REFERENCES companies (id),
                    email TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    password_hash TEXT NOT NULL,
                    company_role TEXT,
                    staff_roles TEXT NOT NULL DEFAULT '',
                    status TEXT NOT NULL,
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX users_company ON users (company_id, email);
                CREATE TABLE sessions (
                    token_hash TEXT PRIMARY KEY NOT NULL,
                    user_id TEXT NOT NULL REFERENCES users (id),
                    created_at INTEGER NOT NULL,
                    last_used_at INTEGER NOT NULL,
                    absolute_expiry INTEGER NOT NULL
                );
                CREATE INDEX sessions_user ON sessions (user_id);
                CREATE TABLE login_throttles (
                    email TEXT PRIMARY KEY NOT NULL,
                    failures INTEGER NOT NULL,
                    blocked_until INTEGER NOT NULL
                );
                """)
        }
        return migrator
    }
}
