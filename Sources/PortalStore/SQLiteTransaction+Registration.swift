import Foundation
import GRDB
import PortalCore

/// Registration: accounts by status, e-mail confirmations, the outgoing mail queue.
extension SQLiteTransaction {
    func users(status: User.Status, limit: Int) throws -> [User] {
        try Row.fetchAll(
            statement("SELECT \(Self.userColumns) FROM users WHERE status = ? ORDER BY created_at, id LIMIT ?"), arguments: [status.rawValue, limit]
        ).map(user(from:))
    }

    func confirmationUser(tokenHash: String, now: Date) throws -> String? {
        try String.fetchOne(
            statement("SELECT user_id FROM email_confirmations WHERE token_hash = ? AND expires_at > ?"),
            arguments: [tokenHash, now.unixSeconds])
    }

    func insertConfirmation(tokenHash: String, userID: String, expiresAt: Date) throws {
        try run(
            "INSERT INTO email_confirmations (token_hash, user_id, expires_at) VALUES (?, ?, ?)",
            [tokenHash, userID, expiresAt.unixSeconds])
    }

    func deleteConfirmations(userID: String) throws {
        try run("DELETE FROM email_confirmations WHERE user_id = ?", [userID])
    }

    func unsentMail(limit: Int) throws -> [OutgoingMail] {
        try Row.fetchAll(
            statement("SELECT * FROM outgoing_mail WHERE sent_at IS NULL ORDER BY created_at, id LIMIT ?"), arguments: [limit]
        ).map { row in
            OutgoingMail(
                id: row["id"], recipient: row["recipient"], subject: row["subject"], body: row["body"],
                createdAt: Date(unixSeconds: row["created_at"]))
        }
    }

    func insert(_ mail: OutgoingMail) throws {
        try run(
            "INSERT INTO outgoing_mail (id, recipient, subject, body, created_at) VALUES (?, ?, ?, ?, ?)",
            [mail.id, mail.recipient, mail.subject, mail.body, mail.createdAt.unixSeconds])
    }

    func markMailSent(ids: [String], at date: Date) throws -> Int {
        var marked = 0
        for id in ids {
            // The body goes once the mail has left: it may carry a confirmation token.
            try run("UPDATE outgoing_mail SET sent_at = ?, body = '' WHERE id = ? AND sent_at IS NULL", [date.unixSeconds, id])
            marked += db.changesCount
        }
        return marked
    }

    func license(key: LicenseKey) throws -> License? {
        try first("SELECT \(Self.licenseColumns) FROM licenses l WHERE license_key = ?", [key.text], Self.license(from:))
    }
}
