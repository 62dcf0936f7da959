import Foundation
import PortalCore
import PortalProtocol
import PortalStore

/// Reads `ticket.list`'s `filter`, `sort`, `order`, `limit` and `cursor` into a `TicketQuery`.
enum TicketQueryArguments {
    /// `forStaff`: the support queue, which may also filter by company and assignee.
    static func apply(_ arguments: ArgumentReader, to query: inout TicketQuery, forStaff: Bool) throws {
        if let sort = try arguments.optionalEnum("sort", TicketQuery.SortField.self) { query.sort = sort }
        if let order = try arguments.optionalEnum("order", TicketQuery.SortOrder.self) { query.order = order }
        query.limit = try arguments.optionalInt("limit", in: 1...500) ?? 50
        if let cursor = try arguments.optionalString("cursor") {
            let (value, id) = try ListCursor.decode(cursor, sort: query.sort.rawValue, order: query.order.rawValue)
            guard let sortValue = Int64(value) else { throw PortalError.badRequest("args.cursor is not a cursor this server gave out") }
            query.after = TicketQuery.Cursor(sortValue: sortValue, id: id)
        }

        guard let filter = try arguments.optionalObject("filter") else { return }
        query.statuses = try filter.enumSet("status", Ticket.Status.self)
        query.priorities = try filter.enumSet("priority", Ticket.Priority.self)
        query.categories = try filter.enumSet("category", Ticket.Category.self)
        query.licenses = try filter.filterValues("license")
        query.search = try filter.optionalString("search", maxLength: 200)
        query.createdFrom = try filter.optionalTimestamp("created_from")
        query.createdTo = try filter.optionalTimestamp("created_to")
        let companies = try filter.filterValues("company")
        let assignee = try filter.optionalString("assignee", maxLength: 100)
        guard forStaff || (companies.isEmpty && assignee == nil) else {
            throw PortalError.badRequest("args.filter.company and args.filter.assignee are filters of the support queue, for staff")
        }
        query.companyIDs = Set(companies)
        query.assignee = assignee
    }

    static func encode(_ cursor: TicketQuery.Cursor, for query: TicketQuery) -> String {
        ListCursor.encode(sort: query.sort.rawValue, order: query.order.rawValue, value: String(cursor.sortValue), id: cursor.id)
    }
}
