import Foundation
import GRDB
import PortalCore
import PortalProtocol

/// Destruction records and the destroyed state of their licenses.
extension SQLiteTransaction {
    func destruction(id: String) throws -> Destruction? {
        try Row.fetchOne(statement("SELECT * FROM destructions WHERE id = ?"), arguments: [id]).map(destruction(from:))
    }

    /// The cursor is the position of the last record shown: records are numbered in the order
    /// they were made, so newest first is by position, descending.
    func destructions(companyID: String, after cursor: String?, limit: Int) throws -> (items: [Destruction], nextCursor: String?) {
        var below = Int64.max
        if let cursor {
            guard let position = Int64(cursor), position > 0 else {
                throw PortalError.badRequest("args.cursor is not a cursor this server gave out")
            }
            below = position
        }
        let rows = try Row.fetchAll(
            statement("SELECT * FROM destructions WHERE company_id = ? AND position < ? ORDER BY position DESC LIMIT ?"),
            arguments: [companyID, below, limit + 1])
        let shown = rows.prefix(limit)
        let next = rows.count > limit ? shown.last.map { String($0["position"] as Int64) } : nil
        return (try shown.map(destruction(from:)), next)
    }

    func insert(_ destruction: Destruction) throws {
        try run("""
                INSERT INTO destructions (id, position, company_id, view, destroyed_by, destroyed_at, comment)
                VALUES (?, (SELECT COALESCE(MAX(position), 0) + 1 FROM destructions), ?, ?, ?, ?, ?)
                """, [
                destruction.id, destruction.companyID, destruction.view.rawValue, destruction.destroyedBy,
                destruction.destroyedAt.unixSeconds, destruction.comment,
            ])
        for (index, item) in destruction.licenses.enumerated() {
            try run(
                "UPDATE licenses SET destroyed_at = ? WHERE id = ? AND destroyed_at IS NULL",
                [destruction.destroyedAt.unixSeconds, item.licenseID])
            // A license destroyed meanwhile (or twice in the list) must not get a second record.
            guard db.changesCount == 1 else {
                throw PortalError(.conflict, "license '\(item.licenseID)' is destroyed already", details: ["license": .string(item.licenseID)])
            }
            try run(
                "INSERT INTO destruction_licenses (destruction_id, position, license_id, license_key) VALUES (?, ?, ?, ?)",
                [destruction.id, index + 1, item.licenseID, item.key.text])
        }
    }

    private func destruction(from row: Row) throws -> Destruction {
        let id: String = row["id"]
        guard let view = PortalView(rawValue: row["view"]) else { throw StoreError("destruction \(id) names an unknown view") }
        let items = try Row.fetchAll(
            statement("SELECT license_id, license_key FROM destruction_licenses WHERE destruction_id = ? ORDER BY position"),
            arguments: [id]
        ).map { item in
            guard let key = LicenseKey(item["license_key"] as String) else {
                throw StoreError("destruction \(id) holds a malformed license key")
            }
            return Destruction.Item(licenseID: item["license_id"], key: key)
        }
        return Destruction(
            id: id, companyID: row["company_id"], view: view, destroyedBy: row["destroyed_by"],
            destroyedAt: Date(unixSeconds: row["destroyed_at"]), comment: row["comment"], licenses: items)
    }
}
