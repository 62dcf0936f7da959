import Foundation
import GRDB
import PortalCore
import PortalProtocol

/// Product updates and releases with their artifacts.
extension SQLiteTransaction {
    func update(_ product: Product) throws {
        try run(
            "UPDATE products SET product_line_id = ?, name = ? WHERE id = ?",
            [product.productLineID, product.name, product.id])
    }

    func releases(productID: String) throws -> [Release] {
        let rows = try Row.fetchAll(
            statement("SELECT * FROM releases WHERE product_id = ? ORDER BY released_at DESC, version DESC"), arguments: [productID])
        return try rows.map { row in
            let id: String = row["id"]
            let artifacts = try Row.fetchAll(
                statement("SELECT * FROM release_artifacts WHERE release_id = ? ORDER BY platform"), arguments: [id]
            ).map { artifact in
                Release.Artifact(
                    platform: artifact["platform"], fileName: artifact["file_name"], size: artifact["size"],
                    sha256: artifact["sha256"])
            }
            return Release(
                id: id, productID: row["product_id"], version: row["version"],
                releasedAt: Date(unixSeconds: row["released_at"]), notes: row["notes"], artifacts: artifacts)
        }
    }

    func insert(_ release: Release) throws {
        do {
            try run(
                "INSERT INTO releases (id, product_id, version, released_at, notes) VALUES (?, ?, ?, ?, ?)",
                [release.id, release.productID, release.version, release.releasedAt.unixSeconds, release.notes])
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw PortalError(.conflict, "version \(release.version) of this product is published already")
        }
        for artifact in release.artifacts {
            try run(
                "INSERT INTO release_artifacts (release_id, platform, file_name, size, sha256) VALUES (?, ?, ?, ?, ?)",
                [release.id, artifact.platform, artifact.fileName, artifact.size, artifact.sha256])
        }
    }
}
