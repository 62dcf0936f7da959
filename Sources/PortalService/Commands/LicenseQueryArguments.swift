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
        query.productIDs = Set(try filter.stringOrStrings("product"))
        query.productLineIDs = Set(try filter.stringOrStrings("product_line"))
        query.serviceEndFrom = try filter.optionalTimestamp("service_end_from")
        query.serviceEndTo = try filter.optionalTimestamp("service_end_to")
        query.expiringWithinDays = try filter.optionalInt("expiring_within_days", in: 0...3_650)
        query.search = try filter.optionalString("search", maxLength: 200)
    }

    /// Cursors are opaque to clients: sort, order, the last sort value and id, base64url-encoded.
    /// Sort and order are inside so that a cursor cannot be followed with another ordering.
    static func encode(_ cursor: LicenseQuery.Cursor, for query: LicenseQuery) -> String {
        let fields = [query.sort.rawValue, query.order.rawValue, cursor.sortValue, cursor.id]
        return Data(fields.joined(separator: "\n").utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }

    static func decode(_ text: String, for query: LicenseQuery) throws -> LicenseQuery.Cursor {
        let base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard let data = Data(base64Encoded: base64), let decoded = String(data: data, encoding: .utf8) else {
            throw PortalError.badRequest("args.cursor is not a cursor this server gave out")
        }
        let fields = decoded.split(separator: "\n", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 4 else { throw PortalError.badRequest("args.cursor is not a cursor this server gave out") }
        guard fields[0] == query.sort.rawValue, fields[1] == query.order.rawValue else {
            throw PortalError.badRequest("args.cursor belongs to a listing sorted by \(fields[0]) \(fields[1]); keep sort and order when paging")
        }
        return LicenseQuery.Cursor(sortValue: fields[2], id: fields[3])
    }
}
