import Foundation
import PortalProtocol
import Testing

/// Support tickets through the real `portald` with demo data: a ticket's whole life with the
/// customer and support, internal notes that never reach the customer side, every transition
/// that is not allowed, the integrator's tickets, other companies seeing nothing, and the events.
@Suite struct TicketEndToEndTests {
    /// A logged-in demo account: company users name a view, staff none.
    struct Side {
        let token: String
        let view: String?
    }

    let world: DemoWorld
    let server: PortaldProcess
    let client: PortalClient

    init() throws {
        world = try DemoWorld()
        server = try world.start()
        client = try server.client()
    }

    private func side(_ email: String, _ view: String? = nil) throws -> Side {
        Side(token: try DemoWorld.token(email, on: server), view: view)
    }

    private func ask(_ side: Side, _ command: String, _ arguments: [String: JSONValue]) throws -> JSONValue {
        try client.request(RequestLine.line(id: 1, command: command, auth: side.token, view: side.view, arguments: arguments))
    }

    @discardableResult
    private func result(
        _ side: Side, _ command: String, _ arguments: [String: JSONValue], sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> JSONValue {
        let reply = try ask(side, command, arguments)
        return try #require(reply.result, "\(command) \(JSONValue.object(arguments).text): \(reply.text)", sourceLocation: sourceLocation)
    }

    private func open(_ side: Side, _ arguments: [String: JSONValue] = [:]) throws -> String {
        let ticket = try result(side, "ticket.create", [
            "subject": "Printing stops at night", "description": "The spooler hangs after the backup.", "category": "technical",
        ].merging(arguments) { $1 })["ticket"]
        return try #require(ticket?["id"]?.stringValue)
    }

    private func ids(_ side: Side, _ arguments: [String: JSONValue] = [:]) throws -> Set<String> {
        Set(try result(side, "ticket.list", arguments)["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? [])
    }

    // MARK: -

    @Test func aTicketsWholeLifeWithBothSides() throws {
        let customer = try side("customer@demo.example", "customer")
        let support = try side("support@demo.example")
        let before = try DemoWorld.lastSeq(on: server)

        let opened = try result(customer, "ticket.create", [
            "subject": "License not accepted", "description": "After the update the license shows as invalid.",
            "category": "licensing", "priority": "high", "license": "li_demo_1",
        ])["ticket"]
        let id = try #require(opened?["id"]?.stringValue)
        #expect(opened?["entitlement"]?["entitled"] == true && opened?["entitlement"]?["service"]?["level"] == "Standard")
        #expect(opened?["entitlement"]?["response_hours"] == 8)

        #expect(try ids(support, ["filter": ["status": "open", "company": "co_demo_customer"]]).contains(id), "in the queue")
        try result(support, "ticket.assign", ["ticket": .string(id)])
        try result(support, "ticket.update", ["ticket": .string(id), "status": "in_progress"])
        try result(support, "ticket.comment", ["ticket": .string(id), "body": "Which version is installed?"])
        try result(support, "ticket.comment", ["ticket": .string(id), "body": "Secret: known bug 4711, fix pending.", "internal": true])
        try result(support, "ticket.update", ["ticket": .string(id), "status": "waiting_for_customer"])

        let seen = try ask(customer, "ticket.get", ["ticket": .string(id)])
        #expect(seen.result?["comments"]?.arrayValue?.map { $0["body"] } == ["Which version is installed?"], "\(seen.text)")
        #expect(!seen.text.contains("4711"))
        #expect(seen.result?["allowed_statuses"] == ["closed"])
        #expect(try ask(support, "ticket.get", ["ticket": .string(id)]).text.contains("4711"), "support sees its note")

        let answered = try result(customer, "ticket.comment", ["ticket": .string(id), "body": "Version 11.0.0"])
        #expect(answered["ticket"]?["status"] == "in_progress", "the answer puts it back in support's hands")
        try result(support, "ticket.update", ["ticket": .string(id), "status": "resolved", "priority": "normal"])
        #expect(try result(customer, "ticket.update", ["ticket": .string(id), "status": "open"])["ticket"]?["status"] == "open", "reopened")
        try result(support, "ticket.update", ["ticket": .string(id), "status": "resolved"])
        #expect(try result(customer, "ticket.update", ["ticket": .string(id), "status": "closed"])["ticket"]?["status"] == "closed")
        #expect(try ask(customer, "ticket.comment", ["ticket": .string(id), "body": "one more thing"]).errorCode == "conflict")
        #expect(try ids(customer, ["filter": ["status": "closed"]]) == [id])

        let events = try DemoWorld.events(after: before, on: server).filter { $0["data"]?["ticket"]?["id"]?.stringValue == id }
        #expect(events.compactMap { $0["type"]?.stringValue } == [
            "ticket.created", "ticket.updated", "ticket.updated", "ticket.commented", "ticket.updated",
            "ticket.commented", "ticket.updated", "ticket.updated", "ticket.updated", "ticket.updated", "ticket.updated",
        ], "the internal note emits no event")
        #expect(events.allSatisfy { $0["company"] == "co_demo_customer" && $0["parties"] == ["co_demo_customer"] })
        #expect(events.allSatisfy { !$0.text.contains("4711") }, "a note's text is in no event")
        #expect(!events.contains { $0["data"]?["comment"]?["internal"] == true }, "nor the note itself")
    }

    @Test func everyTransitionThatIsNotAllowedIsAConflict() throws {
        let customer = try side("customer@demo.example", "customer")
        let support = try side("support@demo.example")
        let statuses = ["open", "in_progress", "waiting_for_customer", "resolved", "closed"]
        let allowed: [String: (customer: Set<String>, support: Set<String>)] = [
            "open": (["closed"], ["in_progress", "waiting_for_customer", "resolved", "closed"]),
            "in_progress": (["closed"], ["waiting_for_customer", "resolved", "closed"]),
            "waiting_for_customer": (["closed"], ["in_progress", "resolved", "closed"]),
            "resolved": (["open", "closed"], ["in_progress", "closed"]),
            "closed": ([], []),
        ]
        for from in statuses {
            // Support moves a new ticket straight to any status.
            let id = try open(customer)
            if from != "open" { try result(support, "ticket.update", ["ticket": .string(id), "status": .string(from)]) }
            for (actor, permitted) in [(customer, allowed[from]!.customer), (support, allowed[from]!.support)] {
                for to in statuses where !permitted.contains(to) {
                    let reply = try ask(actor, "ticket.update", ["ticket": .string(id), "status": .string(to)])
                    #expect(reply.errorCode == "conflict", "\(actor.view ?? "support") \(from) → \(to): \(reply.text)")
                    let details = reply["error"]?["details"]
                    #expect(Set(details?["allowed"]?.arrayValue?.compactMap(\.stringValue) ?? ["?"]) == permitted)
                    #expect(details?["status"] == .string(from) && details?["requested"] == .string(to))
                }
            }
            let now = try result(support, "ticket.get", ["ticket": .string(id)])["ticket"]?["status"]
            #expect(now == .string(from), "refused moves changed nothing")
        }
    }

    @Test func integratorsTicketsAreSharedWithTheirCustomerAndNobodyElseSeesAny() throws {
        let customer = try side("customer@demo.example", "customer")
        let customer2 = try side("customer2@demo.example", "customer")
        let integrator = try side("integrator@demo.example", "system_integrator")
        let support = try side("support@demo.example")

        let forCustomer = try open(integrator, ["license": "li_demo_31"])
        let byCustomer = try open(customer2)
        #expect(try ids(customer2) == [forCustomer, byCustomer, "tk_demo_3"])
        #expect(try ids(integrator) == [forCustomer, "tk_demo_3"], "only those it opened")
        let shared = try result(customer2, "ticket.get", ["ticket": .string(forCustomer)])["ticket"]
        #expect(shared?["company"]?["id"] == "co_demo_customer2" && shared?["integrator"]?["id"] == "co_demo_integrator")
        #expect(try result(customer2, "ticket.update", ["ticket": .string(forCustomer), "status": "closed"])["ticket"]?["status"] == "closed")

        let mine = try open(customer)
        let everyone = [forCustomer, byCustomer, mine, "tk_demo_1", "tk_demo_2", "tk_demo_3"]
        #expect(try ids(support).isSuperset(of: everyone), "the queue spans companies")
        let strangers = [
            try side("reseller@demo.example", "reseller"), try side("distributor@demo.example", "distributor"),
            try side("partner@demo.example", "partner"), try side("provider@demo.example", "service_provider"),
            try side("multi@demo.example", "reseller"),
        ]
        for stranger in strangers + [integrator] {
            for id in everyone where !(stranger.token == integrator.token && [forCustomer, "tk_demo_3"].contains(id)) {
                #expect(try ask(stranger, "ticket.get", ["ticket": .string(id)]).errorCode == "not_found", "\(stranger.view!) \(id)")
                #expect(try ask(stranger, "ticket.comment", ["ticket": .string(id), "body": "hi"]).errorCode == "not_found")
            }
        }
        for stranger in strangers {
            #expect(try ids(stranger).isEmpty, "\(stranger.view!)")
        }
        #expect(try ask(customer, "ticket.get", ["ticket": "tk_demo_3"]).errorCode == "not_found")
        #expect(try ask(try side("order@demo.example"), "ticket.list", [:]).errorCode == "forbidden")
    }
}
