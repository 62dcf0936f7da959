import Foundation
import PortalCore
import PortalProtocol

extension PortalEvent {
    /// An event about a ticket, seen by its company and the integrator that opened it, with the
    /// ticket as it is after the change; `data` adds to the cause and the ticket. It names no
    /// license: a license's history is shown to every view that sees the license, and those are
    /// not all entitled to the ticket.
    static func ticket(_ type: EventType, _ ticket: Ticket, cause: EventCause, at: Date, data: [String: JSONValue] = [:]) -> PortalEvent {
        var fields = cause.fields.merging(data) { $1 }
        fields["ticket"] = ticket.json
        return PortalEvent(type: type, at: at, company: ticket.company.id, parties: ticket.parties, data: .object(fields))
    }

    /// `ticket.updated` with what changed (`{field: {from, to}}`); nil when nothing did.
    static func ticketUpdated(_ ticket: Ticket, changes: [String: JSONValue], cause: EventCause, at: Date) -> PortalEvent? {
        changes.isEmpty ? nil : .ticket(.ticketUpdated, ticket, cause: cause, at: at, data: ["changes": .object(changes)])
    }
}
