import Foundation
import PortalCore
import PortalProtocol
import PortalStore

/// Support requests: the company side opens tickets and talks with support; support staff work
/// through the queue of every company's tickets, assign them, move them along and keep
/// internal notes that the company side never sees.
enum TicketCommands: CommandFamily {
    static func register(in registry: inout CommandRegistry) {
        let eitherSide = CommandAccess.featureOrStaff(.supportRequests, [.support])
        registry.register("ticket.create", access: .feature(.supportRequests), mutating: true, create)
        registry.register("ticket.list", access: eitherSide, list)
        registry.register("ticket.get", access: eitherSide, get)
        registry.register("ticket.comment", access: eitherSide, mutating: true, comment)
        registry.register("ticket.update", access: eitherSide, mutating: true, update)
        registry.register("ticket.assign", access: .staff([.support]), mutating: true, assign)
    }

    // MARK: Company side

    static func create(_ context: CommandContext) throws -> any Encodable & Sendable {
        let (view, company) = try LicenseCommands.viewAndCompany(context)
        let caller = try context.authenticatedCaller
        let arguments = context.arguments
        let subject = try text(arguments, "subject", limit: Ticket.maxSubjectLength)
        let description = try text(arguments, "description", limit: Ticket.maxTextLength)
        guard let category = try arguments.optionalEnum("category", Ticket.Category.self) else {
            throw PortalError.badRequest(
                "args.category is required: one of \(Ticket.Category.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let priority = try arguments.optionalEnum("priority", Ticket.Priority.self) ?? .normal
        let named = try arguments.optionalString("license", maxLength: 100)
        let customer = try arguments.optionalString("customer", maxLength: 100)
        guard customer == nil || view == .systemIntegrator else {
            throw PortalError.badRequest("args.customer is for the system_integrator view, which opens tickets for managed customers")
        }
        let now = context.environment.clock.now
        let cause = context.eventCause
        let policy = context.environment.tickets
        // The licenses the entitlement may name: those the caller's view shows (of the managed
        // customer, for an integrator's ticket), so that a reply or event never names another.
        let visibility = LicenseVisibility(view: view, company: company)
        return try context.environment.store.write { writer in
            let license = try named.map { idOrKey in
                guard let license = try writer.license(idOrKey: idOrKey, visibility: visibility) else {
                    throw PortalError(.notFound, "no license '\(idOrKey)' in your \(view.rawValue) view", details: ["license": .string(idOrKey)])
                }
                return license
            }
            let owner = try ticketCompany(view: view, company: company, license: license, customer: customer, reader: writer)
            let entitlement = policy.entitlement(
                license: license,
                companyLicenses: license == nil ? try writer.serviceLicenses(ownerID: owner.id, visibility: visibility, now: now) : [],
                at: now)
            let integrator = owner.id == company ? nil : caller.company.map { Ticket.Party(id: $0.id, name: $0.name) }
            let ticket = Ticket(
                id: OpaqueID.make(prefix: "tk"), company: Ticket.Party(id: owner.id, name: owner.name), integrator: integrator,
                openedBy: Ticket.Party(id: caller.user.id, name: caller.user.name), view: view, subject: subject,
                description: description, category: category, priority: priority,
                license: license.map { Ticket.LicenseReference(id: $0.id, key: $0.key) }, entitlement: entitlement,
                createdAt: now, updatedAt: now)
            try writer.insert(ticket)
            try writer.append(.ticket(.ticketCreated, ticket, cause: cause, at: now))
            return JSONValue.object(["ticket": ticket.json])
        }
    }

    /// Whose ticket it is: the caller's company, except that an integrator opens tickets for the
    /// customers it manages: the owner of the license named, or `customer`.
    private static func ticketCompany(
        view: PortalView, company: String, license: License?, customer: String?, reader: any StoreReader
    ) throws -> Company {
        var owner = company
        if view == .systemIntegrator, let license {
            guard customer == nil || customer == license.parties.owner else {
                throw PortalError.badRequest(
                    "args.customer names another company than the owner of license '\(license.id)'; name one of them",
                    details: ["license": .string(license.id)])
            }
            owner = license.parties.owner
        } else if let customer {
            guard let managed = try reader.company(id: customer), managed.integrators.contains(company) else {
                throw PortalError(
                    .notFound, "no customer '\(customer)' that lets you manage its licenses", details: ["customer": .string(customer)])
            }
            owner = managed.id
        }
        guard let found = try reader.company(id: owner) else { throw PortalError(.internal, "the ticket's company \(owner) is missing") }
        return found
    }

    // MARK: Either side

    static func list(_ context: CommandContext) throws -> any Encodable & Sendable {
        let (side, scope) = try sideAndScope(context)
        var query = TicketQuery(scope: scope)
        try TicketQueryArguments.apply(context.arguments, to: &query, forStaff: side == .support)
        let requested = query.limit
        query.limit += 1  // one more tells whether a next page exists
        let page = try context.environment.store.read { reader in try reader.tickets(matching: query) }
        let shown = page.prefix(requested)
        return JSONValue.object([
            "items": .array(shown.map(\.ticket.json)),
            "next_cursor": page.count > requested ? .string(TicketQueryArguments.encode(shown.last!.cursor, for: query)) : .null,
        ])
    }

    static func get(_ context: CommandContext) throws -> any Encodable & Sendable {
        let (side, scope) = try sideAndScope(context)
        let id = try context.arguments.string("ticket", maxLength: 100)
        return try context.environment.store.read { reader in
            let ticket = try visibleTicket(id, scope: scope, reader: reader)
            return try detail(ticket, side: side, reader: reader)
        }
    }

    /// A comment (both sides) or an internal note (support). A customer's answer to a ticket
    /// waiting for it moves it back to `in_progress`.
    static func comment(_ context: CommandContext) throws -> any Encodable & Sendable {
        let (side, scope) = try sideAndScope(context)
        let caller = try context.authenticatedCaller
        let arguments = context.arguments
        let id = try arguments.string("ticket", maxLength: 100)
        let body = try text(arguments, "body", limit: Ticket.maxTextLength)
        let isInternal = try arguments.optionalBool("internal") ?? false
        guard !isInternal || side == .support else {
            throw PortalError(.forbidden, "internal notes are for support staff")
        }
        let now = context.environment.clock.now
        let cause = context.eventCause
        return try context.environment.store.write { writer in
            var ticket = try visibleTicket(id, scope: scope, reader: writer)
            try requireOpen(ticket)
            // Comments and notes count apart: a full thread must not tell the company side of
            // notes it never sees.
            guard try writer.ticketCommentCount(ticketID: ticket.id, internal: isInternal) < Ticket.maxComments else {
                let entries = isInternal ? "internal notes" : "comments"
                throw PortalError(
                    .limitExceeded, "ticket '\(ticket.id)' has \(Ticket.maxComments) \(entries), the most one ticket takes; open a new ticket",
                    details: ["ticket": .string(ticket.id), "limit": .int(Int64(Ticket.maxComments))])
            }
            let comment = TicketComment(
                id: OpaqueID.make(prefix: "tc"), ticketID: ticket.id, author: Ticket.Party(id: caller.user.id, name: caller.user.name),
                side: side, isInternal: isInternal, body: body, createdAt: now)
            try writer.insert(comment)
            // An internal note changes nothing the company side sees, not even the time of the last
            // change, and no event tells of it: events go to the ticket's companies.
            guard !isInternal else { return JSONValue.object(["comment": comment.json, "ticket": ticket.json]) }
            var changes: [String: JSONValue] = [:]
            if let next = ticket.status.afterComment(by: side) {
                changes["status"] = change(ticket.status.rawValue, next.rawValue)
                ticket.status = next
            }
            ticket.updatedAt = now
            try writer.update(ticket)
            try writer.append(.ticket(.ticketCommented, ticket, cause: cause, at: now, data: ["comment": comment.json]))
            try writer.append(.ticketUpdated(ticket, changes: changes, cause: cause, at: now))
            return JSONValue.object(["comment": comment.json, "ticket": ticket.json])
        }
    }

    /// Status (either side, each its own transitions) and priority (support). A closed ticket
    /// takes no priority, not even the one it has, as it takes no comment or assignment.
    static func update(_ context: CommandContext) throws -> any Encodable & Sendable {
        let (side, scope) = try sideAndScope(context)
        let arguments = context.arguments
        let id = try arguments.string("ticket", maxLength: 100)
        let status = try arguments.optionalEnum("status", Ticket.Status.self)
        let priority = try arguments.optionalEnum("priority", Ticket.Priority.self)
        guard status != nil || priority != nil else { throw PortalError.badRequest("args.status or args.priority is required") }
        guard priority == nil || side == .support else {
            throw PortalError(.forbidden, "only support staff change a ticket's priority")
        }
        let now = context.environment.clock.now
        let cause = context.eventCause
        return try context.environment.store.write { writer in
            var ticket = try visibleTicket(id, scope: scope, reader: writer)
            // Against the stored status, before either change: closing and setting the priority in
            // one request is one change of an open ticket.
            if priority != nil { try requireOpen(ticket) }
            var changes: [String: JSONValue] = [:]
            if let status {
                let allowed = ticket.status.allowedTargets(for: side)
                guard allowed.contains(status) else {
                    let list = allowed.isEmpty ? "none" : allowed.map(\.rawValue).joined(separator: ", ")
                    throw PortalError(
                        .conflict,
                        "ticket '\(ticket.id)' is \(ticket.status.rawValue) and cannot move to \(status.rawValue)\(side == .customer ? " from the company side" : ""); allowed: \(list)",
                        details: [
                            "ticket": .string(ticket.id), "status": .string(ticket.status.rawValue), "requested": .string(status.rawValue),
                            "allowed": .array(allowed.map { .string($0.rawValue) }),
                        ])
                }
                changes["status"] = change(ticket.status.rawValue, status.rawValue)
                ticket.status = status
            }
            if let priority, priority != ticket.priority {
                changes["priority"] = change(ticket.priority.rawValue, priority.rawValue)
                ticket.priority = priority
            }
            if !changes.isEmpty {
                ticket.updatedAt = now
                try writer.update(ticket)
                try writer.append(.ticketUpdated(ticket, changes: changes, cause: cause, at: now))
            }
            return JSONValue.object(["ticket": ticket.json])
        }
    }

    // MARK: Support

    /// Gives a ticket to a support staff member: the caller, or `assignee`.
    static func assign(_ context: CommandContext) throws -> any Encodable & Sendable {
        let caller = try context.authenticatedCaller
        let arguments = context.arguments
        let id = try arguments.string("ticket", maxLength: 100)
        let assigneeID = try arguments.optionalString("assignee", maxLength: 100) ?? caller.user.id
        let now = context.environment.clock.now
        let cause = context.eventCause
        return try context.environment.store.write { writer in
            var ticket = try visibleTicket(id, scope: .all, reader: writer)
            try requireOpen(ticket)
            guard let assignee = try writer.user(id: assigneeID), assignee.companyID == nil, assignee.status == .active,
                  !assignee.staffRoles.isDisjoint(with: [.support, .admin])
            else {
                throw PortalError(.notFound, "no active support staff member '\(assigneeID)'", details: ["assignee": .string(assigneeID)])
            }
            if ticket.assignee?.id != assignee.id {
                let changes = ["assignee": change(ticket.assignee.map { .string($0.id) } ?? .null, .string(assignee.id))]
                ticket.assignee = Ticket.Party(id: assignee.id, name: assignee.name)
                ticket.updatedAt = now
                try writer.update(ticket)
                try writer.append(.ticketUpdated(ticket, changes: changes, cause: cause, at: now))
            }
            return JSONValue.object(["ticket": ticket.json])
        }
    }

    // MARK: Pieces

    /// Which side the caller is on and which tickets it sees: a company its own and those it
    /// opened for customers as their integrator, support staff every company's.
    private static func sideAndScope(_ context: CommandContext) throws -> (Ticket.Side, TicketQuery.Scope) {
        guard let company = try context.authenticatedCaller.company else { return (.support, .all) }
        return (.customer, .company(company.id))
    }

    /// Another company's ticket is simply not there.
    private static func visibleTicket(_ id: String, scope: TicketQuery.Scope, reader: any StoreReader) throws -> Ticket {
        guard let ticket = try reader.ticket(id: id, scope: scope) else {
            throw PortalError(.notFound, "no ticket '\(id)'", details: ["ticket": .string(id)])
        }
        return ticket
    }

    /// The ticket with its thread as `side` sees it, and the statuses `side` may move it to.
    private static func detail(_ ticket: Ticket, side: Ticket.Side, reader: any StoreReader) throws -> JSONValue {
        [
            "ticket": ticket.json,
            "comments": .array(try reader.ticketComments(ticketID: ticket.id, includingInternal: side == .support).map(\.json)),
            "allowed_statuses": .array(ticket.status.allowedTargets(for: side).map { .string($0.rawValue) }),
        ]
    }

    private static func requireOpen(_ ticket: Ticket) throws {
        guard ticket.status != .closed else {
            throw PortalError(
                .conflict, "ticket '\(ticket.id)' is closed; open a new ticket",
                details: ["ticket": .string(ticket.id), "status": .string(ticket.status.rawValue)])
        }
    }

    private static func change(_ from: String, _ to: String) -> JSONValue { change(.string(from), .string(to)) }
    private static func change(_ from: JSONValue, _ to: JSONValue) -> JSONValue { ["from": from, "to": to] }

    /// A required text argument: empty is `bad_request`; longer than `limit` characters is
    /// `too_large`, with the limit in `details`.
    private static func text(_ arguments: ArgumentReader, _ name: String, limit: Int) throws -> String {
        guard let value = try arguments.optionalString(name, maxLength: .max) else {
            throw PortalError.badRequest("args.\(name) is required")
        }
        guard value.count <= limit else {
            throw PortalError(
                .tooLarge, "args.\(name) is longer than \(limit) characters",
                details: ["argument": .string(name), "limit_chars": .int(Int64(limit))])
        }
        return value
    }
}
