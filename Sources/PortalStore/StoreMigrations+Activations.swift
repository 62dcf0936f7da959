import GRDB

extension StoreMigrations {
    /// Activations of licenses and reactivation requests.
    static func activationSchema(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE activations (
                id TEXT PRIMARY KEY NOT NULL,
                license_id TEXT NOT NULL REFERENCES licenses (id),
                -- 1, 2, 3, … per license: the order of activations made within the same second.
                position INTEGER NOT NULL,
                registration_key TEXT NOT NULL,
                activation_key TEXT NOT NULL,
                subscription_key TEXT NOT NULL,
                certificate TEXT NOT NULL,
                is_reactivation INTEGER NOT NULL,
                activated_at INTEGER NOT NULL,
                activated_by TEXT NOT NULL,
                superseded_at INTEGER,
                grace_end INTEGER
            );
            CREATE UNIQUE INDEX activations_license ON activations (license_id, position);
            CREATE TABLE reactivation_requests (
                id TEXT PRIMARY KEY NOT NULL,
                license_id TEXT NOT NULL REFERENCES licenses (id),
                company_id TEXT NOT NULL REFERENCES companies (id),
                requested_by TEXT NOT NULL,
                registration_key TEXT NOT NULL,
                reason TEXT NOT NULL,
                status TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                decided_at INTEGER,
                decided_by TEXT,
                note TEXT
            );
            CREATE INDEX reactivation_requests_status ON reactivation_requests (status, created_at);
            CREATE INDEX reactivation_requests_license ON reactivation_requests (license_id, status);
            """)
    }
}
