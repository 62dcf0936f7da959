import Foundation
import PortalCore
import PortalProtocol

extension Ticket {
    /// In every ticket reply and event: the ticket without its thread.
    var json: JSONValue {
        [
            "id": .string(id), "company": company.json, "integrator": integrator?.json ?? .null, "opened_by": openedBy.json,
            "view": .string(view.rawValue), "subject": .string(subject), "description": .string(description),
            "category": .string(category.rawValue), "priority": .string(priority.rawValue), "status": .string(status.rawValue),
            "license": license?.json ?? .null, "entitlement": entitlement.json, "assignee": assignee?.json ?? .null,
            "created_at": .string(RFC3339.string(from: createdAt)), "updated_at": .string(RFC3339.string(from: updatedAt)),
        ]
    }
}

extension Ticket.Party {
    var json: JSONValue { ["id": .string(id), "name": .string(name)] }
}

extension Ticket.LicenseReference {
    var json: JSONValue { ["id": .string(id), "key": .string(key.text)] }
}

extension TicketEntitlement {
    var json: JSONValue {
        [
            "entitled": .bool(isEntitled),
            "service": service.map { service in
                ["license": service.license.json, "level": .string(service.level), "end": .string(RFC3339.string(from: service.end))]
            } ?? .null,
            "response_hours": responseHours.map { .int(Int64($0)) } ?? .null,
            "respond_by": respondBy.map { .string(RFC3339.string(from: $0)) } ?? .null,
        ]
    }
}

extension TicketComment {
    var json: JSONValue {
        [
            "id": .string(id), "author": author.json, "side": .string(side.rawValue), "internal": .bool(isInternal),
            "body": .string(body), "created_at": .string(RFC3339.string(from: createdAt)),
        ]
    }
}
