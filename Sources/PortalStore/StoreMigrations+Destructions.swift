import GRDB

extension StoreMigrations {
    /// Destruction records of destroyed licenses.
    static func destructionSchema(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE destructions (
                id TEXT PRIMARY KEY NOT NULL,
                -- 1, 2, 3, … in the order they were made: orders records of the same second.
                position INTEGER NOT NULL UNIQUE,
                company_id TEXT NOT NULL REFERENCES companies (id),
                view TEXT NOT NULL,
                destroyed_by TEXT NOT NULL,
                destroyed_at INTEGER NOT NULL,
                comment TEXT
            );
            CREATE INDEX destructions_company ON destructions (company_id, position);
            CREATE TABLE destruction_licenses (
                destruction_id TEXT NOT NULL REFERENCES destructions (id),
                -- The order the licenses were named in.
                position INTEGER NOT NULL,
                license_id TEXT NOT NULL UNIQUE REFERENCES licenses (id),
                license_key TEXT NOT NULL,
                PRIMARY KEY (destruction_id, position)
            );
            """)
    }
}
