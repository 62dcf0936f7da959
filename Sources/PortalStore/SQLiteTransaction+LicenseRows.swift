import Foundation
import GRDB
import PortalCore

/// Reading licenses from rows: every query selects `licenseColumns` first and
/// `license(from:)` reads them by position (`LiveColumns`). GRDB's lookup by column name
/// lower-cases and compares names for each value; across a listing it cost more than the query.
extension SQLiteTransaction {
    /// The licenses table's columns under the alias `l`, in the order `license(from:)` reads.
    static let licenseColumns = """
        l.id, l.license_key, l.product_id, l.edition, l.quantity, l.model, l.order_reference, l.order_position, \
        l.order_date, l.owner_id, l.integrator_id, l.reseller_id, l.distributor_id, l.partner_id, l.runtime_end, \
        l.service_level, l.service_start, l.service_end, l.activation_slots, l.activation_state, l.destroyed_at, \
        l.parent_id
        """
    static let licenseColumnCount = 22

    /// The licenses that `sql` selects (`licenseColumns` first), each built from the live row.
    func licenses(_ sql: String, _ arguments: [(any DatabaseValueConvertible)?]) throws -> [License] {
        try all(sql, arguments, Self.license(from:))
    }

    /// The license in a row that starts with `licenseColumns`; further columns are the caller's.
    static func license(from row: LiveColumns) -> License {
        let storedRuntimeEnd: Int64 = row[14]
        let storedServiceEnd: Int64 = row[17]
        let serviceEnd = storedServiceEnd == openEnd ? nil : storedServiceEnd
        let level: String? = row[15]
        let start: Int64? = row[16]
        let service = serviceEnd.map { end in
            License.Service(level: level ?? "", start: Date(unixSeconds: start ?? end), end: Date(unixSeconds: end))
        }
        return License(
            id: row[0], key: LicenseKey(canonical: row[1]), productID: row[2],
            edition: row[3], quantity: row[4],
            model: LicenseModel(rawValue: row[5]) ?? .perpetual,
            orderReference: row[6], orderPosition: row[7],
            orderDate: Date(unixSeconds: row[8]),
            parties: License.Parties(owner: row[9], integrator: row[10], reseller: row[11], distributor: row[12], partner: row[13]),
            runtimeEnd: storedRuntimeEnd == openEnd ? nil : Date(unixSeconds: storedRuntimeEnd),
            service: service, activationSlots: row[18],
            activationState: ActivationState(rawValue: row[19]) ?? .none,
            destroyedAt: (row[20] as Int64?).map(Date.init(unixSeconds:)),
            parentID: row[21])
    }
}
