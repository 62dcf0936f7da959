import Foundation
import PortalCore
import PortalProtocol
import PortalStore

/// The demo portal's support tickets, written as if by commands with their events: one of Demo
/// Customer AG waiting for its answer (with an internal note), one resolved, and one the
/// integrator opened for Second Customer GmbH.
struct DemoTickets {
    let now: Date
    let policy = TicketPolicy()

    /// One thing done to a ticket after it was opened.
    private enum Step {
        case comment(by: String, side: Ticket.Side, internal: Bool, String)
        case assign(to: String)
        case status(Ticket.Status)
    }

    func write(to store: any Store, cause: EventCause) throws {
        try store.write { writer in
            try open(
                "tk_demo_1", company: DemoCatalogue.customer, by: "us_demo_customer", view: .customer, license: "li_demo_2",
                subject: "Activation key rejected after server move",
                description: "We moved ThinPrint to a new print server; the activation key we entered is rejected.",
                category: .activation, priority: .high,
                steps: [
                    .assign(to: "us_demo_support"), .status(.inProgress),
                    .comment(by: "us_demo_support", side: .support, internal: false,
                             "Please send us the registration key the new server shows under Help > About."),
                    .status(.waitingForCustomer),
                    .comment(by: "us_demo_support", side: .support, internal: true,
                             "Service ends within a month: mention the renewal offer."),
                ],
                writer: writer, cause: cause)
            try open(
                "tk_demo_2", company: DemoCatalogue.customer, by: "us_demo_customer", view: .customer, license: nil,
                subject: "Installer stops on Windows Server 2025",
                description: "The installer of Personal Printing Server ends without a message at 80 %.",
                category: .installation, priority: .normal,
                steps: [
                    .assign(to: "us_demo_support"),
                    .comment(by: "us_demo_support", side: .support, internal: false, "Fixed in release 11: please update."),
                    .status(.resolved),
                ],
                writer: writer, cause: cause)
            try open(
                "tk_demo_3", company: DemoCatalogue.customer2, by: "us_demo_integrator", view: .systemIntegrator,
                license: "li_demo_31", subject: "Second site needs more users",
                description: "Second Customer GmbH opens a second site; how do we extend the license to 25 users?",
                category: .licensing, priority: .normal, steps: [], writer: writer, cause: cause)
        }
    }

    private func open(
        _ id: String, company: String, by userID: String, view: PortalView, license licenseID: String?, subject: String,
        description: String, category: Ticket.Category, priority: Ticket.Priority, steps: [Step], writer: any StoreWriter,
        cause: EventCause
    ) throws {
        let license = try licenseID.flatMap { try writer.license(id: $0) }
        let owner = try party(company: company, writer)
        let opener = try party(user: userID, writer)
        let integrator = try writer.user(id: userID)?.companyID.flatMap { $0 == company ? nil : try party(company: $0, writer) }
        var ticket = Ticket(
            id: id, company: owner, integrator: integrator, openedBy: opener, view: view, subject: subject,
            description: description, category: category, priority: priority,
            license: license.map { Ticket.LicenseReference(id: $0.id, key: $0.key) },
            entitlement: policy.entitlement(
                license: license,
                companyLicenses: license == nil
                    ? try writer.serviceLicenses(
                        ownerID: company, visibility: LicenseVisibility(view: view, company: integrator?.id ?? company), now: now)
                    : [],
                at: now),
            createdAt: now, updatedAt: now)
        try writer.insert(ticket)
        try writer.append(.ticket(.ticketCreated, ticket, cause: cause, at: now))
        for (index, step) in steps.enumerated() {
            switch step {
            case .comment(let author, let side, let isInternal, let body):
                let comment = TicketComment(
                    id: "tc_demo_\(id.dropFirst(8))_\(index)", ticketID: id, author: try party(user: author, writer), side: side,
                    isInternal: isInternal, body: body, createdAt: now)
                try writer.insert(comment)
                if !isInternal {
                    try writer.append(.ticket(.ticketCommented, ticket, cause: cause, at: now, data: ["comment": comment.json]))
                }
            case .assign(let staff):
                let assignee = try party(user: staff, writer)
                ticket.assignee = assignee
                try writer.update(ticket)
                try writer.append(.ticketUpdated(ticket, changes: ["assignee": ["from": .null, "to": .string(staff)]], cause: cause, at: now))
            case .status(let status):
                let before = ticket.status
                ticket.status = status
                try writer.update(ticket)
                try writer.append(.ticketUpdated(
                    ticket, changes: ["status": ["from": .string(before.rawValue), "to": .string(status.rawValue)]], cause: cause, at: now))
            }
        }
    }

    private func party(company id: String, _ reader: any StoreReader) throws -> Ticket.Party {
        Ticket.Party(id: id, name: try reader.company(id: id)?.name ?? id)
    }

    private func party(user id: String, _ reader: any StoreReader) throws -> Ticket.Party {
        Ticket.Party(id: id, name: try reader.user(id: id)?.name ?? id)
    }
}
