import Foundation
import PortalCore
import PortalProtocol
import PortalStore

/// Reads `license.list`'s `filter`, `sort`, `order`, `limit` and `cursor` into a `LicenseQuery`.
enum LicenseQueryArguments {
    static func apply(_ arguments: [String: JSONValue], to query: inout LicenseQuery) throws {
        let top = ArgumentReader(arguments)
        if let sort = try top.optionalEnum("sort", LicenseQuery.SortField.self) { query.sort = sort }
        if let order = try top.optionalEnum("order", LicenseQuery.SortOrder.self) { query.order = order }
        query.limit = try top.optionalInt("limit", in: 1...500) ?? 50
        if let cursor = try top.optionalString("cursor") { query.after = try decode(cursor, for: query) }

        let filter: ArgumentReader
        switch arguments["filter"] ?? .null {
        case .null: return
        case .object(let members): filter = ArgumentReader(members, path: "args.filter")
        case let other: throw PortalError.badRequest("args.filter must be an object, not \(other.typeName)")
        }
        query.statuses = try filter.enumSet("status", LicenseStatus.self)
        query.serviceStates = try filter.enumSet("service_state", ServiceState.self)
        query.models = try filter.enumSet("model", LicenseModel.self)
        query.productIDs = Set(try filter.filterValues("product"))
        query.productLineIDs = Set(try filter.filterValues("product_line"))
        query.serviceEndFrom = try filter.optionalTimestamp("service_end_from")
        query.serviceEndTo = try filter.optionalTimestamp("service_end_to")
        query.expiringWithinDays = try filter.optionalInt("expiring_within_days", in: 0...3_650)
        query.search = try filter.optionalString("search", maxLength: 200)
    }

    /// Cursors are opaque to clients (`ListCursor`).
    static func encode(_ cursor: LicenseQuery.Cursor, for query: LicenseQuery) -> String {
        ListCursor.encode(sort: query.sort.rawValue, order: query.order.rawValue, value: cursor.sortValue, id: cursor.id)
    }

    static func decode(_ text: String, for query: LicenseQuery) throws -> LicenseQuery.Cursor {
        let (value, id) = try ListCursor.decode(text, sort: query.sort.rawValue, order: query.order.rawValue)
        return LicenseQuery.Cursor(sortValue: value, id: id)
    }
}
