import GRDB

extension StoreMigrations {
    /// The replies kept for requests with an idempotency key (`idem`).
    static func idempotencySchema(_ db: Database) throws {
        try db.execute(sql: """
            -- One row per user and key: the request it was first used for (command, hash of view
            -- and args) and that request's result, replayed to retries for 24 hours.
            CREATE TABLE idempotency_keys (
                user_id TEXT NOT NULL REFERENCES users (id),
                key TEXT NOT NULL,
                command TEXT NOT NULL,
                arguments_hash TEXT NOT NULL,
                reply TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                PRIMARY KEY (user_id, key)
            );
            -- Expired keys are pruned oldest first.
            CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
            """)
    }
}
