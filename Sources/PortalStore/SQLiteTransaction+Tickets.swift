import Foundation
import GRDB
import PortalCore
import PortalProtocol

/// Support tickets and their threads.
extension SQLiteTransaction {
    /// A ticket with the names of its company, integrator, opener and assignee.
    private static let ticketColumns = "t.*, c.name AS company_name, i.name AS integrator_name, o.name AS opened_by_name, a.name AS assignee_name"
    private static let ticketTables = """
        tickets t
        JOIN companies c ON c.id = t.company_id
        LEFT JOIN companies i ON i.id = t.integrator_id
        JOIN users o ON o.id = t.opened_by
        LEFT JOIN users a ON a.id = t.assignee_id
        """

    func ticket(id: String, scope: TicketQuery.Scope) throws -> Ticket? {
        let visible = Self.condition(for: scope)
        return try Row.fetchOne(
            statement("SELECT \(Self.ticketColumns) FROM \(Self.ticketTables) WHERE t.id = ? AND \(visible.sql)"),
            arguments: StatementArguments([id] + visible.arguments)
        ).map(ticket(from:))
    }

    func tickets(matching query: TicketQuery) throws -> [(ticket: Ticket, cursor: TicketQuery.Cursor)] {
        var conditions = [Self.condition(for: query.scope)]
        if !query.statuses.isEmpty { conditions.append(Self.membership("t.status", query.statuses.map(\.rawValue))) }
        if !query.priorities.isEmpty { conditions.append(Self.membership("t.priority", query.priorities.map(\.rawValue))) }
        if !query.categories.isEmpty { conditions.append(Self.membership("t.category", query.categories.map(\.rawValue))) }
        if !query.companyIDs.isEmpty { conditions.append(Self.membership("t.company_id", Array(query.companyIDs))) }
        if !query.licenses.isEmpty {
            let ids = Self.membership("id", query.licenses)
            let keys = Self.membership("license_key", query.licenses.map { LicenseKey($0)?.text ?? $0 })
            conditions.append(Condition(
                sql: "t.license_id IN (SELECT id FROM licenses WHERE \(ids.sql) OR \(keys.sql))",
                arguments: ids.arguments + keys.arguments))
        }
        if let assignee = query.assignee {
            conditions.append(assignee == TicketQuery.unassigned
                ? Condition(sql: "t.assignee_id IS NULL", arguments: [])
                : Condition(sql: "t.assignee_id = ?", arguments: [assignee]))
        }
        if let search = query.search {
            let pattern = Self.containsPattern(search)
            conditions.append(Condition(
                sql: "(swiftLowercaseString(t.subject) LIKE ? ESCAPE '\\' OR swiftLowercaseString(t.description) LIKE ? ESCAPE '\\')",
                arguments: [pattern, pattern]))
        }
        if let from = query.createdFrom { conditions.append(Condition(sql: "t.created_at >= ?", arguments: [from.unixSeconds])) }
        if let to = query.createdTo { conditions.append(Condition(sql: "t.created_at <= ?", arguments: [to.unixSeconds])) }
        let sort = Self.ticketSortColumn(query.sort)
        let ascending = query.order == .ascending
        if let cursor = query.after {
            let comparison = ascending ? ">" : "<"
            conditions.append(Condition(
                sql: "(\(sort) \(comparison) ? OR (\(sort) = ? AND t.id \(comparison) ?))",
                arguments: [cursor.sortValue, cursor.sortValue, cursor.id]))
        }
        let direction = ascending ? "ASC" : "DESC"
        let rows = try Row.fetchAll(
            statement("""
                SELECT \(Self.ticketColumns), \(sort) AS sort_value FROM \(Self.ticketTables)
                WHERE \(conditions.map(\.sql).joined(separator: " AND "))
                ORDER BY \(sort) \(direction), t.id \(direction)
                LIMIT ?
                """),
            arguments: StatementArguments(conditions.flatMap(\.arguments) + [query.limit]))
        return try rows.map { row in
            let ticket = try ticket(from: row)
            return (ticket, TicketQuery.Cursor(sortValue: row["sort_value"], id: ticket.id))
        }
    }

    func ticketComments(ticketID: String, includingInternal: Bool) throws -> [TicketComment] {
        try Row.fetchAll(
            statement("""
                SELECT tc.*, u.name AS author_name FROM ticket_comments tc JOIN users u ON u.id = tc.author_id
                WHERE tc.ticket_id = ? AND (? OR tc.internal = 0)
                ORDER BY tc.position
                """),
            arguments: [ticketID, includingInternal]
        ).map { row in
            let id: String = row["id"]
            guard let side = Ticket.Side(rawValue: row["side"]) else { throw StoreError("ticket comment \(id) names an unknown side") }
            return TicketComment(
                id: id, ticketID: row["ticket_id"], author: Ticket.Party(id: row["author_id"], name: row["author_name"]),
                side: side, isInternal: row["internal"], body: row["body"], createdAt: Date(unixSeconds: row["created_at"]))
        }
    }

    func ticketCommentCount(ticketID: String, internal isInternal: Bool) throws -> Int {
        try Int.fetchOne(
            statement("SELECT COUNT(*) FROM ticket_comments WHERE ticket_id = ? AND internal = ?"), arguments: [ticketID, isInternal]) ?? 0
    }

    func serviceLicenses(ownerID: String, visibility: LicenseVisibility, now: Date) throws -> [License] {
        let visible = Self.condition(for: visibility)
        let running = """
            l.owner_id = ? AND \(visible.sql) AND l.destroyed_at IS NULL AND l.runtime_end > ? AND l.service_end > ? AND l.service_end < ?
            """
        let arguments = [ownerID] + visible.arguments + [now.unixSeconds, now.unixSeconds, Self.openEnd]
        // A company may own thousands of licenses but holds few levels: one query per level.
        let levels = try String.fetchAll(
            statement("SELECT DISTINCT l.service_level FROM licenses l WHERE \(running) AND l.service_level IS NOT NULL ORDER BY l.service_level"),
            arguments: StatementArguments(arguments))
        return try levels.compactMap { level in
            try first(
                "SELECT \(Self.licenseColumns) FROM licenses l WHERE \(running) AND l.service_level = ? ORDER BY l.service_end DESC, l.id LIMIT 1",
                arguments + [level], Self.license(from:))
        }
    }

    func insert(_ ticket: Ticket) throws {
        let entitlement = ticket.entitlement
        try run("""
                INSERT INTO tickets (
                    id, company_id, integrator_id, opened_by, view, subject, description, category, priority, priority_rank,
                    status, license_id, license_key, service_license_id, service_license_key, service_level, service_end,
                    response_hours, respond_by, assignee_id, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [
                ticket.id, ticket.company.id, ticket.integrator?.id, ticket.openedBy.id, ticket.view.rawValue, ticket.subject,
                ticket.description, ticket.category.rawValue, ticket.priority.rawValue, ticket.priority.rank,
                ticket.status.rawValue, ticket.license?.id, ticket.license?.key.text, entitlement.service?.license.id,
                entitlement.service?.license.key.text, entitlement.service?.level, entitlement.service?.end.unixSeconds,
                entitlement.responseHours, entitlement.respondBy?.unixSeconds ?? Self.openEnd, ticket.assignee?.id,
                ticket.createdAt.unixSeconds, ticket.updatedAt.unixSeconds,
            ])
    }

    func update(_ ticket: Ticket) throws {
        try run("""
                UPDATE tickets SET status = ?, priority = ?, priority_rank = ?, assignee_id = ?, updated_at = ?
                WHERE id = ?
                """, [
                ticket.status.rawValue, ticket.priority.rawValue, ticket.priority.rank, ticket.assignee?.id,
                ticket.updatedAt.unixSeconds, ticket.id,
            ])
    }

    func insert(_ comment: TicketComment) throws {
        try run("""
                INSERT INTO ticket_comments (id, ticket_id, position, author_id, side, internal, body, created_at)
                VALUES (?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM ticket_comments WHERE ticket_id = ?), ?, ?, ?, ?, ?)
                """, [
                comment.id, comment.ticketID, comment.ticketID, comment.author.id, comment.side.rawValue, comment.isInternal,
                comment.body, comment.createdAt.unixSeconds,
            ])
    }

    // MARK: Pieces

    private static func condition(for scope: TicketQuery.Scope) -> Condition {
        switch scope {
        case .company(let company): Condition(sql: "(t.company_id = ? OR t.integrator_id = ?)", arguments: [company, company])
        case .all: Condition(sql: "1", arguments: [])
        }
    }

    /// The column each sort orders by: whole numbers all, so that cursors carry one integer.
    private static func ticketSortColumn(_ field: TicketQuery.SortField) -> String {
        switch field {
        case .created: "t.created_at"
        case .updated: "t.updated_at"
        case .priority: "t.priority_rank"
        case .respondBy: "t.respond_by"
        }
    }

    private func ticket(from row: Row) throws -> Ticket {
        let id: String = row["id"]
        guard let view = PortalView(rawValue: row["view"]), let category = Ticket.Category(rawValue: row["category"]),
              let priority = Ticket.Priority(rawValue: row["priority"]), let status = Ticket.Status(rawValue: row["status"])
        else { throw StoreError("ticket \(id) holds an unknown view, category, priority or status") }
        func party(_ idColumn: String, _ nameColumn: String) -> Ticket.Party? {
            (row[idColumn] as String?).map { Ticket.Party(id: $0, name: row[nameColumn] ?? "") }
        }
        func license(_ idColumn: String, _ keyColumn: String) throws -> Ticket.LicenseReference? {
            guard let licenseID: String = row[idColumn] else { return nil }
            guard let key = LicenseKey(row[keyColumn] ?? "") else { throw StoreError("ticket \(id) holds a malformed license key") }
            return Ticket.LicenseReference(id: licenseID, key: key)
        }
        let respondBy: Int64 = row["respond_by"]
        let entitlement = try license("service_license_id", "service_license_key").map { reference in
            TicketEntitlement(
                service: TicketEntitlement.Service(
                    license: reference, level: row["service_level"] ?? "", end: Date(unixSeconds: row["service_end"] ?? 0)),
                responseHours: row["response_hours"],
                respondBy: respondBy == Self.openEnd ? nil : Date(unixSeconds: respondBy))
        } ?? .none
        return Ticket(
            id: id, company: Ticket.Party(id: row["company_id"], name: row["company_name"]),
            integrator: party("integrator_id", "integrator_name"), openedBy: Ticket.Party(id: row["opened_by"], name: row["opened_by_name"]),
            view: view, subject: row["subject"], description: row["description"], category: category, priority: priority,
            status: status, license: try license("license_id", "license_key"), entitlement: entitlement,
            assignee: party("assignee_id", "assignee_name"), createdAt: Date(unixSeconds: row["created_at"]),
            updatedAt: Date(unixSeconds: row["updated_at"]))
    }
}
