import Foundation
import GRDB
import PortalCore

/// The schema, as named migrations applied in order at start-up.
///
/// A migration that has shipped is never edited: change the schema by appending a new one. One
/// that rebuilds a table keeps its triggers (`licenseChangeSchema`).
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
        migrator.registerMigration("v3-licenses") { db in
            try db.execute(sql: """
                CREATE TABLE integrator_delegations (
                    integrator_id TEXT NOT NULL REFERENCES companies (id),
                    customer_id TEXT NOT NULL REFERENCES companies (id),
                    PRIMARY KEY (integrator_id, customer_id)
                );
                CREATE TABLE provider_contracts (
                    company_id TEXT PRIMARY KEY NOT NULL REFERENCES companies (id),
                    quota INTEGER NOT NULL,
                    starts_at INTEGER NOT NULL,
                    ends_at INTEGER NOT NULL
                );
                CREATE TABLE product_lines (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL UNIQUE
                );
                CREATE TABLE products (
                    id TEXT PRIMARY KEY NOT NULL,
                    product_line_id TEXT NOT NULL REFERENCES product_lines (id),
                    name TEXT NOT NULL,
                    UNIQUE (product_line_id, name)
                );
                CREATE TABLE licenses (
                    id TEXT PRIMARY KEY NOT NULL,
                    license_key TEXT NOT NULL UNIQUE,
                    product_id TEXT NOT NULL REFERENCES products (id),
                    edition TEXT NOT NULL,
                    quantity INTEGER NOT NULL,
                    model TEXT NOT NULL,
                    order_reference TEXT NOT NULL,
                    order_position INTEGER NOT NULL,
                    order_date INTEGER NOT NULL,
                    owner_id TEXT NOT NULL REFERENCES companies (id),
                    integrator_id TEXT REFERENCES companies (id),
                    reseller_id TEXT REFERENCES companies (id),
                    distributor_id TEXT REFERENCES companies (id),
                    partner_id TEXT REFERENCES companies (id),
                    -- Open ends (perpetual runtime, no service) are stored as the largest integer,
                    -- not NULL, so that both sort last and every index serves the sorts directly.
                    runtime_end INTEGER NOT NULL,
                    service_level TEXT,
                    service_start INTEGER,
                    service_end INTEGER NOT NULL,
                    activation_slots INTEGER NOT NULL,
                    activation_state TEXT NOT NULL,
                    destroyed_at INTEGER,
                    parent_id TEXT REFERENCES licenses (id),
                    UNIQUE (order_reference, order_position)
                );
                -- One index per party column, led by the party so a view's listing reads only its
                -- own licenses; service end (the default sort) second. The optional parties are
                -- indexed only where present: most licenses name no integrator or partner.
                CREATE INDEX licenses_owner ON licenses (owner_id, service_end, id);
                CREATE INDEX licenses_integrator ON licenses (integrator_id, service_end, id) WHERE integrator_id IS NOT NULL;
                CREATE INDEX licenses_reseller ON licenses (reseller_id, service_end, id) WHERE reseller_id IS NOT NULL;
                CREATE INDEX licenses_distributor ON licenses (distributor_id, service_end, id) WHERE distributor_id IS NOT NULL;
                CREATE INDEX licenses_partner ON licenses (partner_id, service_end, id) WHERE partner_id IS NOT NULL;
                """)
        }
        migrator.registerMigration("v4-releases") { db in
            try db.execute(sql: """
                CREATE TABLE releases (
                    id TEXT PRIMARY KEY NOT NULL,
                    product_id TEXT NOT NULL REFERENCES products (id),
                    version TEXT NOT NULL,
                    released_at INTEGER NOT NULL,
                    notes TEXT NOT NULL,
                    UNIQUE (product_id, version)
                );
                CREATE INDEX releases_product ON releases (product_id, released_at);
                CREATE TABLE release_artifacts (
                    release_id TEXT NOT NULL REFERENCES releases (id),
                    platform TEXT NOT NULL,
                    file_name TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    sha256 TEXT NOT NULL,
                    PRIMARY KEY (release_id, platform)
                );
                """)
        }
        migrator.registerMigration("v5-registration") { db in
            try db.execute(sql: """
                CREATE TABLE email_confirmations (
                    token_hash TEXT PRIMARY KEY NOT NULL,
                    user_id TEXT NOT NULL REFERENCES users (id),
                    expires_at INTEGER NOT NULL
                );
                CREATE INDEX users_status ON users (status, created_at);
                CREATE TABLE outgoing_mail (
                    id TEXT PRIMARY KEY NOT NULL,
                    recipient TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    body TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    sent_at INTEGER
                );
                CREATE INDEX outgoing_mail_unsent ON outgoing_mail (created_at) WHERE sent_at IS NULL;
                """)
        }
        migrator.registerMigration("v6-events") { db in
            try db.execute(sql: """
                -- The outbox: every change's events, committed with the change. seq comes from the
                -- one-row counter, updated in the same transaction, so the numbers are gapless and
                -- strictly increasing in commit order (in PostgreSQL too: the row lock serialises).
                CREATE TABLE event_sequence (
                    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
                    last_seq INTEGER NOT NULL
                );
                INSERT INTO event_sequence (id, last_seq) VALUES (1, 0);
                CREATE TABLE events (
                    seq INTEGER PRIMARY KEY NOT NULL,
                    type TEXT NOT NULL,
                    at INTEGER NOT NULL,
                    company_id TEXT NOT NULL,
                    body TEXT NOT NULL
                );
                -- A license's changes, kept for as long as the license (events are pruned after the
                -- retention period): what license.get shows as its history.
                CREATE TABLE license_history (
                    license_id TEXT NOT NULL,
                    seq INTEGER NOT NULL,
                    type TEXT NOT NULL,
                    at INTEGER NOT NULL,
                    data TEXT NOT NULL,
                    PRIMARY KEY (license_id, seq)
                );
                -- How far each node's publisher has sent events, so a restart resumes there.
                CREATE TABLE event_publishers (
                    node TEXT PRIMARY KEY NOT NULL,
                    published_seq INTEGER NOT NULL
                );
                """)
        }
        migrator.registerMigration("v7-idempotency") { db in try idempotencySchema(db) }
        migrator.registerMigration("v8-activations") { db in try activationSchema(db) }
        migrator.registerMigration("v9-destructions") { db in try destructionSchema(db) }
        migrator.registerMigration("v10-schedule") { db in try scheduleSchema(db) }
        migrator.registerMigration("v11-free-keys") { db in
            // A renewal finds the free keys of each renewed license, which end with it.
            try db.execute(sql: "CREATE INDEX licenses_parent ON licenses (parent_id) WHERE parent_id IS NOT NULL")
        }
        migrator.registerMigration("v12-tickets") { db in try ticketSchema(db) }
        migrator.registerMigration("v13-offers") { db in try offerSchema(db) }
        migrator.registerMigration("v14-grace-ends") { db in try graceEndSchema(db) }
        // Immediate checks: it adds a table and triggers and references nothing, and the deferred
        // check at its end would read every row of the database (3 s at start-up on 1,000,000
        // licenses).
        migrator.registerMigration("v15-license-changes", foreignKeyChecks: .immediate) { db in try licenseChangeSchema(db) }
        return migrator
    }
}
