import GRDB

extension StoreMigrations {
    /// The replies kept for requests with an idempotency key (`idem`).
    static func idempotencySchema(_ db: Database) throws {}
}
