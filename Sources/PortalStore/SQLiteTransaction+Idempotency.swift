import Foundation
import GRDB
import PortalCore

/// The replies kept for idempotency keys, and savepoints for the handlers that run inside an
/// idempotent request's transaction.
extension SQLiteTransaction {
    func idempotencyRecord(userID: String, key: String, keptAfter cutoff: Date) throws -> IdempotencyRecord? {
        try Row.fetchOne(
            statement("SELECT * FROM idempotency_keys WHERE user_id = ? AND key = ? AND created_at > ?"),
            arguments: [userID, key, cutoff.unixSeconds]
        ).map { row in
            IdempotencyRecord(
                userID: row["user_id"], key: row["key"], command: row["command"], argumentsHash: row["arguments_hash"],
                reply: row["reply"], createdAt: Date(unixSeconds: row["created_at"]))
        }
    }

    func save(_ record: IdempotencyRecord) throws {
        try run(
            """
            INSERT INTO idempotency_keys (user_id, key, command, arguments_hash, reply, created_at)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (user_id, key) DO UPDATE SET
                command = excluded.command, arguments_hash = excluded.arguments_hash, reply = excluded.reply,
                created_at = excluded.created_at
            """,
            [record.userID, record.key, record.command, record.argumentsHash, record.reply, record.createdAt.unixSeconds])
    }

    func pruneIdempotencyRecords(keptBefore cutoff: Date, limit: Int) throws -> Int {
        try run(
            """
            DELETE FROM idempotency_keys WHERE (user_id, key) IN (
                SELECT user_id, key FROM idempotency_keys WHERE created_at <= ? ORDER BY created_at LIMIT ?)
            """,
            [cutoff.unixSeconds, limit])
        return db.changesCount
    }

    func nested<T>(_ body: () throws -> T) throws -> T {
        var result: T?
        try db.inSavepoint {
            result = try body()
            return .commit
        }
        // inSavepoint returns only after the closure has returned (and set result) or thrown.
        return result!
    }
}
