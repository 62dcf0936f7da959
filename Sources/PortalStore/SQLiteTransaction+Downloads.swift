import Foundation
import GRDB
import PortalCore
import PortalProtocol

/// What software downloads read: the products and licenses a view holds, and releases.
extension SQLiteTransaction {
    func downloadProductIDs(visibility: LicenseVisibility, productLineIDs: Set<String>) throws -> Set<String> {
        var conditions = [Self.condition(for: visibility), Condition(sql: "l.destroyed_at IS NULL", arguments: [])]
        if !productLineIDs.isEmpty {
            let lines = Self.membership("product_line_id", productLineIDs.sorted())
            conditions.append(Condition(
                sql: "l.product_id IN (SELECT id FROM products WHERE \(lines.sql))", arguments: lines.arguments))
        }
        return Set(try String.fetchAll(
            statement("SELECT DISTINCT l.product_id FROM licenses l WHERE \(conditions.map(\.sql).joined(separator: " AND "))"),
            arguments: StatementArguments(conditions.flatMap(\.arguments))))
    }

    func downloadLicenses(visibility: LicenseVisibility, productID: String, now: Date, limit: Int) throws -> [License] {
        let visible = Self.condition(for: visibility)
        let sql = """
            SELECT \(Self.licenseColumns) FROM licenses l
            WHERE \(visible.sql) AND l.destroyed_at IS NULL AND l.product_id = ?
            ORDER BY (l.model = 'alm' AND l.runtime_end > ?) DESC, (l.service_end = ?) ASC, l.service_end DESC,
                     l.order_date DESC, l.id
            LIMIT ?
            """
        return try licenses(sql, visible.arguments + [productID, now.unixSeconds, Self.openEnd, limit])
    }

    func release(id: String) throws -> Release? {
        try Row.fetchOne(statement("SELECT * FROM releases WHERE id = ?"), arguments: [id]).map(release(from:))
    }

    func latestReleases(productID: String, limit: Int) throws -> [Release] {
        try Row.fetchAll(
            statement("SELECT * FROM releases WHERE product_id = ? ORDER BY released_at DESC, version DESC LIMIT ?"),
            arguments: [productID, limit]
        ).map(release(from:))
    }

    private func release(from row: Row) throws -> Release {
        let id: String = row["id"]
        let artifacts = try Row.fetchAll(
            statement("SELECT * FROM release_artifacts WHERE release_id = ? ORDER BY platform"), arguments: [id]
        ).map { artifact in
            Release.Artifact(
                platform: artifact["platform"], fileName: artifact["file_name"], size: artifact["size"], sha256: artifact["sha256"])
        }
        return Release(
            id: id, productID: row["product_id"], version: row["version"], releasedAt: Date(unixSeconds: row["released_at"]),
            notes: row["notes"], artifacts: artifacts)
    }
}
