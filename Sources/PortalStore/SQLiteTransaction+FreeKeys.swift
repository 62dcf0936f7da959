import Foundation
import GRDB
import PortalCore

/// What retrieving free license keys reads: the running licenses a quota is counted from and
/// the next free line of an order reference.
extension SQLiteTransaction {
    // MARK: Free keys

    func runningLicenses(ownerID: String, model: LicenseModel, orderReference: String?, now: Date) throws -> [License] {
        var sql = """
            SELECT \(Self.licenseColumns) FROM licenses l
            WHERE l.owner_id = ? AND l.model = ? AND l.destroyed_at IS NULL AND l.runtime_end > ?
            """
        var arguments: [(any DatabaseValueConvertible)?] = [ownerID, model.rawValue, now.unixSeconds]
        if let orderReference {
            sql += " AND l.order_reference = ?"
            arguments.append(orderReference)
        }
        sql += " ORDER BY l.product_id, l.runtime_end DESC, l.id"
        return try licenses(sql, arguments)
    }

    func freeLicenses(parentID: String) throws -> [License] {
        try licenses("SELECT \(Self.licenseColumns) FROM licenses l WHERE parent_id = ? AND destroyed_at IS NULL ORDER BY id", [parentID])
    }

    func nextOrderPosition(orderReference: String) throws -> Int {
        let last = try Int.fetchOne(
            statement("SELECT MAX(order_position) FROM licenses WHERE order_reference = ?"), arguments: [orderReference])
        return (last ?? 0) + 1
    }
}
