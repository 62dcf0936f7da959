import Foundation
import PortalCore
import PortalProtocol
@testable import PortalService
import PortalStore
import Testing

/// A ticket's life: the status flow of each side, comments and internal notes, priority and
/// assignment, the limits of a thread, and the events every change emits.
@Suite struct TicketFlowTests {
    let world: TicketWorld

    init() throws {
        world = try TicketWorld()
    }

    private func update(_ id: String, _ actor: TicketActor, _ args: [String: JSONValue]) throws -> LicenseReply {
        try world.send("ticket.update", actor, args.merging(["ticket": .string(id)]) { $1 })
    }

    private func comment(_ id: String, _ actor: TicketActor, _ body: String, internal isInternal: Bool? = nil) throws -> LicenseReply {
        var args: [String: JSONValue] = ["ticket": .string(id), "body": .string(body)]
        if let isInternal { args["internal"] = .bool(isInternal) }
        return try world.send("ticket.comment", actor, args)
    }

    // MARK: Status flow

    /// Every (side, from, to): allowed ones move the ticket, the rest are `conflict` naming the
    /// allowed ones, and change nothing.
    @Test(arguments: Ticket.Side.allCases)
    func everyTransitionIsAllowedOrAConflictNamingTheAllowedOnes(side: Ticket.Side) throws {
        let actor = side == .customer ? world.customer : world.support
        for from in Ticket.Status.allCases {
            for to in Ticket.Status.allCases {
                let id = try world.open(world.customer)
                try world.force(id, to: from)
                let allowed = from.allowedTargets(for: side)
                let reply = try update(id, actor, ["status": .string(to.rawValue)])
                let status = try world.ticket(id, as: world.support).result["ticket"]?["status"]
                if allowed.contains(to) {
                    #expect(reply.result["ticket"]?["status"] == .string(to.rawValue), "\(side) \(from) → \(to): \(reply)")
                    #expect(status == .string(to.rawValue))
                } else {
                    #expect(reply.errorCode == "conflict", "\(side) \(from) → \(to): \(reply)")
                    #expect(reply.value["error"]?["details"] == [
                        "ticket": .string(id), "status": .string(from.rawValue), "requested": .string(to.rawValue),
                        "allowed": .array(allowed.map { .string($0.rawValue) }),
                    ])
                    #expect(status == .string(from.rawValue), "unchanged")
                }
            }
        }
    }

    @Test func theCompanySideClosesAndReopensResolvedTicketsOnly() {
        #expect(Ticket.Status.resolved.allowedTargets(for: .customer) == [.open, .closed])
        for status in [Ticket.Status.open, .inProgress, .waitingForCustomer] {
            #expect(status.allowedTargets(for: .customer) == [.closed])
        }
        #expect(Ticket.Status.closed.allowedTargets(for: .customer).isEmpty && Ticket.Status.closed.allowedTargets(for: .support).isEmpty)
        #expect(Ticket.Status.waitingForCustomer.afterComment(by: .customer) == .inProgress)
        #expect(Ticket.Status.waitingForCustomer.afterComment(by: .support) == nil)
        #expect(Ticket.Status.open.afterComment(by: .customer) == nil)
    }

    @Test func theIntegratorThatOpenedATicketActsOnTheCompanySide() throws {
        let id = try world.open(world.integrator, license: world.basic)
        try world.force(id, to: .resolved)
        #expect(try update(id, world.integrator, ["status": "open"]).ok)
        #expect(try update(id, world.customer2, ["status": "closed"]).ok, "and so does the customer")
    }

    // MARK: Comments and notes

    @Test func aCustomersAnswerPutsAWaitingTicketBackInProgress() throws {
        let id = try world.open(world.customer)
        #expect(try update(id, world.support, ["status": "waiting_for_customer"]).ok)
        let question = try comment(id, world.support, "Which version?")
        try world.expectConforms(question, "ticket.comment")
        #expect(question.result["ticket"]?["status"] == "waiting_for_customer", "support's comment leaves the status")
        let answer = try comment(id, world.customer, "Version 10.2")
        #expect(answer.result["ticket"]?["status"] == "in_progress", "\(answer)")
        #expect(answer.result["comment"]?["side"] == "customer" && answer.result["comment"]?["internal"] == false)

        let updates = try world.events([.ticketUpdated])
        #expect(updates.last?["data"]?["changes"] == ["status": ["from": "waiting_for_customer", "to": "in_progress"]])
        #expect(updates.last?["data"]?["command"] == "ticket.comment")
    }

    @Test func internalNotesNeverReachTheCompanySide() throws {
        let id = try world.open(world.integrator, license: world.basic)
        world.fixture.clock.advance(by: 60)
        let note = try comment(id, world.support, "Customer is on the Basic level; escalate only if urgent.", internal: true)
        #expect(note.result["comment"]?["internal"] == true, "\(note)")
        #expect(note.result["ticket"]?["updated_at"] == world.fixture.date(days: 0, seconds: -60).licenseTimestamp, "a note is no visible change")
        world.fixture.clock.advance(by: 60)
        #expect(try comment(id, world.support, "We are looking into it.").ok)

        for side in [world.customer2, world.integrator] {
            let reply = try world.ticket(id, as: side)
            try world.expectConforms(reply, "ticket.get")
            #expect(reply.result["comments"]?.arrayValue?.map { $0["body"] } == ["We are looking into it."], "\(side)")
            #expect(!reply.description.contains("escalate"))
        }
        let staff = try world.ticket(id, as: world.support)
        #expect(staff.result["comments"]?.arrayValue?.map { $0["internal"] } == [true, false])

        let commented = try world.events([.ticketCommented])
        #expect(commented.map { $0["data"]?["comment"]?["body"] } == ["We are looking into it."], "the note emits no event")
        #expect(commented.first?["data"]?["comment"]?["internal"] == false)
        #expect(commented.first?["parties"] == ["co_cust2", "co_si"])

        let refused = try comment(id, world.customer2, "Let me write a note", internal: true)
        #expect(refused.errorCode == "forbidden", "\(refused)")
        #expect(try comment(id, world.customer2, "x", internal: false).ok)
        #expect(try world.send("ticket.comment", world.customer2, ["ticket": .string(id), "body": "x", "internal": "yes"]).errorCode == "bad_request")
    }

    /// A note is staff's working note: no event at all, not even one without its text, reaches
    /// the subscribers of the ticket's companies; a comment still does.
    @Test func anInternalNoteEmitsNoEventAndACommentDoes() throws {
        let id = try world.open(world.integrator, license: world.basic)
        #expect(try update(id, world.support, ["status": "waiting_for_customer"]).ok)
        let before = try world.events([])
        let note = try comment(id, world.support, "Checked the logs: known issue.", internal: true)
        try world.expectConforms(note, "ticket.comment")
        #expect(try world.events([]) == before, "no event of any type for the note")
        #expect(try world.ticket(id, as: world.support).result["ticket"]?["status"] == "waiting_for_customer", "a note moves nothing")

        #expect(try comment(id, world.support, "Please update to release 11.").ok)
        let after = try world.events([])
        #expect(after.dropFirst(before.count).compactMap { $0["type"]?.stringValue } == ["ticket.commented"])
        #expect(after.last?["data"]?["comment"]?["body"] == "Please update to release 11." && after.last?["data"]?["comment"]?["internal"] == false)
        _ = try EventCatalogueTests.storedEvents(world.fixture.store, validator: world.validator)
    }

    @Test func aThreadHasLimits() throws {
        let id = try world.open(world.customer)
        let long = try comment(id, world.customer, String(repeating: "x", count: Ticket.maxTextLength + 1))
        #expect(long.errorCode == "too_large" && long.value["error"]?["details"] == ["argument": "body", "limit_chars": 10_000])
        #expect(try comment(id, world.customer, " ").errorCode == "bad_request")
        try addEntries(to: id, internal: false, count: Ticket.maxComments - 1)
        #expect(try comment(id, world.customer, "the last one").ok)
        let full = try comment(id, world.customer, "one too many")
        #expect(full.errorCode == "limit_exceeded", "\(full)")
        #expect(full.value["error"]?["details"] == ["ticket": .string(id), "limit": .int(Int64(Ticket.maxComments))])
        #expect(try world.ticket(id, as: world.customer).result["comments"]?.arrayValue?.count == Ticket.maxComments)
    }

    /// Internal notes have a limit of their own, so that a full thread tells the company side
    /// nothing of the notes it never sees.
    @Test func commentsAndInternalNotesCountApart() throws {
        let id = try world.open(world.customer)
        try addEntries(to: id, internal: true, count: Ticket.maxComments)
        #expect(try comment(id, world.customer, "the first comment").ok, "notes take no room from comments")
        #expect(try comment(id, world.support, "a comment still goes").ok)
        let noteTooMany = try comment(id, world.support, "one note too many", internal: true)
        #expect(noteTooMany.errorCode == "limit_exceeded", "\(noteTooMany)")
        #expect(noteTooMany.value["error"]?["message"]?.stringValue?.contains("internal notes") == true)

        try addEntries(to: id, internal: false, count: Ticket.maxComments - 2)
        let full = try comment(id, world.customer, "one too many")
        #expect(full.errorCode == "limit_exceeded" && full.value["error"]?["message"]?.stringValue?.contains("internal") == false, "\(full)")
        #expect(try world.ticket(id, as: world.customer).result["comments"]?.arrayValue?.count == Ticket.maxComments)
        #expect(try world.ticket(id, as: world.support).result["comments"]?.arrayValue?.count == 2 * Ticket.maxComments)
    }

    /// Puts `count` comments or internal notes into a ticket's thread, as many requests would have.
    private func addEntries(to id: String, internal isInternal: Bool, count: Int) throws {
        let author = isInternal ? world.support : world.customer
        try world.fixture.store.write { writer in
            for index in 0..<count {
                try writer.insert(TicketComment(
                    id: "tc_\(isInternal ? "note" : "comment")_\(index)", ticketID: id, author: Ticket.Party(id: author.userID, name: ""),
                    side: isInternal ? .support : .customer, isInternal: isInternal, body: "entry \(index)", createdAt: world.fixture.now))
            }
        }
    }

    @Test func aClosedTicketTakesNothingMore() throws {
        let id = try world.open(world.customer)
        #expect(try update(id, world.customer, ["status": "closed"]).ok)
        for reply in [
            try comment(id, world.customer, "again?"), try comment(id, world.support, "note", internal: true),
            try update(id, world.support, ["priority": "high"]), try world.send("ticket.assign", world.support, ["ticket": .string(id)]),
            try update(id, world.support, ["priority": "normal"]), try update(id, world.support, ["status": "closed", "priority": "normal"]),
        ] {
            #expect(reply.errorCode == "conflict", "\(reply)")
        }
        #expect(try world.ticket(id, as: world.customer).result["allowed_statuses"] == [])
    }

    // MARK: Priority and assignment

    /// Whether the ticket is closed is decided by its stored status, before either change.
    @Test func closingAndSettingThePriorityAtOnceChangesBoth() throws {
        let id = try world.open(world.customer)
        let reply = try update(id, world.support, ["status": "closed", "priority": "high"])
        try world.expectConforms(reply, "ticket.update")
        #expect(reply.result["ticket"]?["status"] == "closed" && reply.result["ticket"]?["priority"] == "high", "\(reply)")
        let stored = try world.ticket(id, as: world.support).result["ticket"]
        #expect(stored?["status"] == "closed" && stored?["priority"] == "high")
        let updates = try world.events([.ticketUpdated])
        #expect(updates.map { $0["data"]?["changes"] } == [
            ["status": ["from": "open", "to": "closed"], "priority": ["from": "normal", "to": "high"]],
        ])
        #expect(try update(id, world.support, ["status": "in_progress", "priority": "low"]).errorCode == "conflict", "closed now")
        #expect(try world.ticket(id, as: world.support).result["ticket"]?["priority"] == "high", "unchanged")
    }

    @Test func onlySupportSetsThePriority() throws {
        let id = try world.open(world.customer)
        #expect(try update(id, world.customer, ["priority": "urgent"]).errorCode == "forbidden")
        #expect(try update(id, world.customer, [:]).errorCode == "bad_request")
        let reply = try update(id, world.support, ["priority": "urgent", "status": "in_progress"])
        try world.expectConforms(reply, "ticket.update")
        #expect(reply.result["ticket"]?["priority"] == "urgent")
        let changes = try world.events([.ticketUpdated]).last?["data"]?["changes"]
        #expect(changes == ["priority": ["from": "normal", "to": "urgent"], "status": ["from": "open", "to": "in_progress"]])
        #expect(try update(id, world.support, ["priority": "urgent"]).ok)
        #expect(try world.events([.ticketUpdated]).count == 1, "no change, no event")
    }

    @Test func supportAssignsTicketsToSupportStaff() throws {
        let id = try world.open(world.customer)
        let taken = try world.send("ticket.assign", world.support, ["ticket": .string(id)])
        try world.expectConforms(taken, "ticket.assign")
        #expect(taken.result["ticket"]?["assignee"]?["id"] == .string(world.support.userID))
        let passed = try world.result("ticket.assign", world.support, ["ticket": .string(id), "assignee": .string(world.support2.userID)])
        #expect(passed["ticket"]?["assignee"]?["id"] == .string(world.support2.userID))
        for nobody in [world.order.userID, world.customer.userID, "us_missing"] {
            #expect(try world.send("ticket.assign", world.support, ["ticket": .string(id), "assignee": .string(nobody)]).errorCode == "not_found")
        }
        #expect(try world.send("ticket.assign", world.support, ["ticket": "tk_missing"]).errorCode == "not_found")
        let changes = try world.events([.ticketUpdated]).map { $0["data"]?["changes"]?["assignee"] }
        #expect(changes == [
            ["from": .null, "to": .string(world.support.userID)],
            ["from": .string(world.support.userID), "to": .string(world.support2.userID)],
        ])
        #expect(try world.ticket(id, as: world.customer).result["ticket"]?["assignee"]?["id"] == .string(world.support2.userID))
    }

    // MARK: Events

    @Test func everyChangeIsAnEventSeenByTheTicketsCompanies() throws {
        let id = try world.open(world.integrator, license: world.basic)
        #expect(try world.send("ticket.assign", world.support, ["ticket": .string(id)]).ok)
        #expect(try update(id, world.support, ["status": "waiting_for_customer"]).ok)
        #expect(try comment(id, world.customer2, "Here are the logs").ok)
        #expect(try update(id, world.support, ["status": "resolved"]).ok)
        #expect(try update(id, world.customer2, ["status": "closed"]).ok)

        let all = try EventCatalogueTests.storedEvents(world.fixture.store, validator: world.validator)
        let tickets = all.filter { $0["type"]?.stringValue?.hasPrefix("ticket.") == true }
        #expect(tickets.compactMap { $0["type"]?.stringValue } == [
            "ticket.created", "ticket.updated", "ticket.updated", "ticket.commented", "ticket.updated", "ticket.updated",
            "ticket.updated",
        ])
        #expect(tickets.allSatisfy { $0["company"] == "co_cust2" && $0["parties"] == ["co_cust2", "co_si"] })
        #expect(tickets.allSatisfy { $0["data"]?["ticket"]?["id"] == .string(id) })
        #expect(tickets.last?["data"]?["ticket"]?["status"] == "closed" && tickets.last?["data"]?["by"] == .string(world.customer2.userID))
        // Not in the license's history, which the reseller sees too.
        let history = try world.fixture.get(LicenseCaller(token: world.reseller.token, view: "reseller"), world.basic.id).result["history"]
        #expect(history?.arrayValue?.contains { $0["type"]?.stringValue?.hasPrefix("ticket.") == true } == false)
    }
}
