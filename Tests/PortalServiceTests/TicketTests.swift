import Foundation
import PortalCore
import PortalProtocol
@testable import PortalService
import PortalStore
import Testing

/// `ticket.create`, `ticket.list` and `ticket.get`: entitlement and response targets, limits,
/// who sees which ticket, the queue's filters, sorts and pages.
@Suite struct TicketTests {
    let world: TicketWorld

    init() throws {
        world = try TicketWorld()
    }

    // MARK: Opening

    @Test func theReplyTellsTheEntitlementOfTheNamedLicense() throws {
        let now = world.fixture.now
        let reply = try world.send("ticket.create", world.customer, [
            "subject": "Activation fails", "description": "The key is rejected.", "category": "activation",
            "priority": "urgent", "license": .string(world.standard.key.text.lowercased()),
        ])
        try world.expectConforms(reply, "ticket.create")
        let ticket = try #require(reply.result["ticket"])
        #expect(ticket["id"]?.stringValue?.hasPrefix("tk_") == true)
        #expect(ticket["company"] == ["id": "co_cust", "name": "Customer AG"] && ticket["integrator"] == .null)
        #expect(ticket["opened_by"]?["id"] == .string(world.customer.userID))
        #expect(ticket["status"] == "open" && ticket["priority"] == "urgent" && ticket["category"] == "activation")
        #expect(ticket["view"] == "customer" && ticket["assignee"] == .null)
        #expect(ticket["license"] == ["id": .string(world.standard.id), "key": .string(world.standard.key.text)])
        #expect(ticket["entitlement"] == [
            "entitled": true,
            "service": [
                "license": ["id": .string(world.standard.id), "key": .string(world.standard.key.text)], "level": "Standard",
                "end": world.standard.service!.end.licenseTimestamp,
            ],
            "response_hours": 8, "respond_by": now.addingTimeInterval(8 * 3_600).licenseTimestamp,
        ])
        #expect(ticket["created_at"] == now.licenseTimestamp && ticket["updated_at"] == now.licenseTimestamp)
    }

    @Test func aLicenseWhoseServiceEndedIsNotEntitledEvenWhenOthersRun() throws {
        let ticket = try world.result("ticket.create", world.customer, [
            "subject": "Old server", "description": "Question", "category": "other", "license": .string(world.ended.id),
        ])["ticket"]
        #expect(ticket?["entitlement"] == ["entitled": false, "service": .null, "response_hours": .null, "respond_by": .null])
        #expect(ticket?["priority"] == "normal", "the default priority")
    }

    @Test func withoutALicenseTheCompanysBestRunningServiceCounts() throws {
        let id = try world.open(world.customer)
        let entitlement = try world.ticket(id, as: world.customer).result["ticket"]?["entitlement"]
        #expect(entitlement?["service"]?["license"]?["id"] == .string(world.premium.id), "Premium beats Standard; the ended one is out")
        #expect(entitlement?["response_hours"] == 4)
        // The reseller owns no licenses: it asks without any service of its own.
        let resellers = try world.open(world.reseller, license: world.basic)
        #expect(try world.ticket(resellers, as: world.reseller).result["ticket"]?["entitlement"]?["service"]?["level"] == "Basic")
        let plain = try world.open(world.reseller)
        #expect(try world.ticket(plain, as: world.reseller).result["ticket"]?["entitlement"]?["entitled"] == false)
    }

    /// Without a named license, the entitlement comes only from licenses the caller's view
    /// shows, so that the reply and the event never name one the view hides.
    @Test func theEntitlementNamesOnlyLicensesTheViewShows() throws {
        try world.fixture.addCompany("co_both", name: "Both AG", views: [.customer, .serviceProvider])
        var random = LicenseSplitMix64(seed: 61)
        var provider = world.fixture.makeLicense(
            product: "pr_engine", owner: "co_both", model: .serviceProvider, serviceEnd: world.fixture.date(days: 300), using: &random)
        provider.service?.level = "Premium"
        let own = world.fixture.makeLicense(product: "pr_engine", owner: "co_both", serviceEnd: world.fixture.date(days: 100), using: &random)
        try world.fixture.insert([provider, own])
        let email = try world.fixture.addUser(to: "co_both")
        let token = try world.fixture.login(email)
        let userID = try #require(try world.fixture.store.read { try $0.user(email: email) }?.id)

        let customerView = TicketActor(token: token, view: "customer", userID: userID)
        let reply = try world.send("ticket.create", customerView, ["subject": "s", "description": "d", "category": "other"])
        #expect(reply.result["ticket"]?["entitlement"]?["service"]?["license"]?["id"] == .string(own.id), "\(reply)")
        #expect(reply.result["ticket"]?["entitlement"]?["response_hours"] == 8, "Standard: the Premium provider license is not in the view")
        let created = try world.events([.ticketCreated])
        for text in [reply.description] + created.map({ String(decoding: $0.serialized(), as: UTF8.self) }) {
            #expect(!text.contains(provider.id) && !text.contains(provider.key.text))
        }

        let providerView = TicketActor(token: token, view: "service_provider", userID: userID)
        let inProviderView = try world.open(providerView)
        let entitlement = try world.ticket(inProviderView, as: providerView).result["ticket"]?["entitlement"]
        #expect(entitlement?["service"]?["license"]?["id"] == .string(provider.id) && entitlement?["response_hours"] == 4)
    }

    /// An integrator's own licenses are not in its system_integrator view; for a managed customer
    /// the entitlement comes from that customer's licenses the integrator's view shows, never from
    /// another company's license that names the integrator.
    @Test func anIntegratorsTicketIsEntitledByWhatItsViewShowsOfTheCustomer() throws {
        var random = LicenseSplitMix64(seed: 62)
        var owned = world.fixture.makeLicense(product: "pr_engine", owner: "co_si", serviceEnd: world.fixture.date(days: 300), using: &random)
        owned.service?.level = "Premium"
        var named = world.fixture.makeLicense(
            product: "pr_engine", owner: "co_other", integrator: "co_si", serviceEnd: world.fixture.date(days: 300), using: &random)
        named.service?.level = "Premium"
        try world.fixture.insert([owned, named])

        let own = try world.open(world.integrator)
        #expect(try world.ticket(own, as: world.integrator).result["ticket"]?["entitlement"]?["entitled"] == false,
                "its own license is not in the system_integrator view")
        let forCustomer = try world.open(world.integrator, ["customer": "co_cust2"])
        let entitlement = try world.ticket(forCustomer, as: world.customer2).result["ticket"]?["entitlement"]
        #expect(entitlement?["service"]?["license"]?["id"] == .string(world.basic.id), "\(String(describing: entitlement))")
        #expect(entitlement?["response_hours"] == 24)
    }

    @Test func responseTargetsComeFromThePolicy() throws {
        var policy = TicketPolicy()
        policy.responseHours = ["premium": 1, "*": 48]
        let world = try TicketWorld(tickets: policy)
        let premium = try world.open(world.customer, license: world.premium)
        #expect(try world.ticket(premium, as: world.customer).result["ticket"]?["entitlement"]?["response_hours"] == 1, "levels compare without case")
        let standard = try world.open(world.customer, license: world.standard)
        #expect(try world.ticket(standard, as: world.customer).result["ticket"]?["entitlement"]?["response_hours"] == 48)

        policy.responseHours = ["Premium": 2]
        let entitlement = policy.entitlement(license: world.standard, companyLicenses: [], at: world.fixture.now)
        #expect(entitlement.isEntitled && entitlement.responseHours == nil && entitlement.respondBy == nil, "covered, without a target")
    }

    @Test func badArgumentsAreBadRequestsAndLongTextIsTooLarge() throws {
        let valid: [String: JSONValue] = ["subject": "Subject", "description": "Description", "category": "technical"]
        let cases: [(args: [String: JSONValue], code: String)] = [
            (valid.merging(["subject": .null]) { $1 }, "bad_request"),
            (valid.merging(["description": "   "]) { $1 }, "bad_request"),
            (valid.merging(["category": .null]) { $1 }, "bad_request"),
            (valid.merging(["category": "billing"]) { $1 }, "bad_request"),
            (valid.merging(["priority": "critical"]) { $1 }, "bad_request"),
            (valid.merging(["customer": "co_cust2"]) { $1 }, "bad_request"),
            (valid.merging(["license": .string(world.foreign.id)]) { $1 }, "not_found"),
            (valid.merging(["subject": .string(String(repeating: "s", count: 201))]) { $1 }, "too_large"),
            (valid.merging(["description": .string(String(repeating: "ü", count: 10_001))]) { $1 }, "too_large"),
        ]
        for (args, code) in cases {
            let reply = try world.send("ticket.create", world.customer, args)
            #expect(reply.errorCode == code, "\(args): \(reply)")
        }
        let long = try world.send("ticket.create", world.customer, valid.merging(["subject": .string(String(repeating: "s", count: 201))]) { $1 })
        #expect(long.value["error"]?["details"] == ["argument": "subject", "limit_chars": 200])
        #expect(try world.send("ticket.create", world.customer, valid.merging(["subject": .string(String(repeating: "s", count: 200))]) { $1 }).ok)
        #expect(try world.events([.ticketCreated]).count == 1, "only the valid one")
    }

    @Test func aRetryWithTheSameKeyOpensOneTicket() throws {
        let args: [String: JSONValue] = ["subject": "Once", "description": "Only once", "category": "other"]
        let first = try world.send("ticket.create", world.customer, idem: "ticket-1", args)
        let retry = try world.send("ticket.create", world.customer, idem: "ticket-1", args)
        #expect(first.ok && retry.result == first.result)
        #expect(try world.result("ticket.list", world.customer)["items"]?.arrayValue?.count == 1)
    }

    // MARK: Who sees what

    @Test func anIntegratorOpensTicketsForManagedCustomersWhoSeeThemToo() throws {
        let byLicense = try world.open(world.integrator, license: world.basic)
        let byCustomer = try world.open(world.integrator, ["customer": "co_cust2"])
        let own = try world.open(world.integrator)
        let customers = try world.open(world.customer2)

        for id in [byLicense, byCustomer] {
            let ticket = try world.ticket(id, as: world.customer2).result["ticket"]
            #expect(ticket?["company"]?["id"] == "co_cust2" && ticket?["integrator"]?["id"] == "co_si", "\(String(describing: ticket))")
            #expect(try world.ticket(id, as: world.integrator).ok)
        }
        #expect(try world.ticket(own, as: world.integrator).result["ticket"]?["integrator"] == .null, "its own ticket")
        #expect(try world.ticket(own, as: world.customer2).errorCode == "not_found")
        #expect(try world.ticket(customers, as: world.integrator).errorCode == "not_found", "only the tickets it opened")
        #expect(Set(try world.result("ticket.list", world.customer2)["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? [])
            == [byLicense, byCustomer, customers])
        #expect(Set(try world.result("ticket.list", world.integrator)["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? [])
            == [byLicense, byCustomer, own])

        // Only customers that let it manage their licenses, and only their licenses.
        #expect(try world.send("ticket.create", world.integrator, [
            "subject": "x", "description": "y", "category": "other", "customer": "co_other",
        ]).errorCode == "not_found")
        #expect(try world.send("ticket.create", world.integrator, [
            "subject": "x", "description": "y", "category": "other", "license": .string(world.premium.id),
        ]).errorCode == "not_found")
        #expect(try world.send("ticket.create", world.integrator, [
            "subject": "x", "description": "y", "category": "other", "license": .string(world.basic.id), "customer": "co_other",
        ]).errorCode == "bad_request")
    }

    @Test func nobodyElseSeesATicketOrCanTouchIt() throws {
        let id = try world.open(world.customer, license: world.premium)
        for stranger in [world.other, world.customer2, world.integrator, world.reseller] {
            #expect(try world.ticket(id, as: stranger).errorCode == "not_found", "\(stranger)")
            #expect(try world.send("ticket.comment", stranger, ["ticket": .string(id), "body": "hello"]).errorCode == "not_found")
            #expect(try world.send("ticket.update", stranger, ["ticket": .string(id), "status": "closed"]).errorCode == "not_found")
            #expect(try world.result("ticket.list", stranger)["items"] == [], "\(stranger)")
        }
        #expect(try world.send("ticket.list", world.order).errorCode == "forbidden", "staff without the support role")
        #expect(try world.send("ticket.assign", world.customer, ["ticket": .string(id)]).errorCode == "forbidden")
        #expect(try world.ticket(id, as: world.support).ok)
    }

    // MARK: Listing

    @Test func theListFiltersSortsAndPages() throws {
        let first = try world.open(world.customer, subject: "Drucker offline", license: world.premium, ["priority": "low"])
        world.fixture.clock.advance(by: 60)
        let second = try world.open(
            world.customer, subject: "Installer hangs", license: world.ended, ["category": "installation", "priority": "urgent"])
        world.fixture.clock.advance(by: 60)
        let third = try world.open(world.customer, subject: "Key question", license: world.standard, ["category": "licensing"])
        try world.result("ticket.update", world.customer, ["ticket": .string(second), "status": "closed"])
        func ids(_ actor: TicketActor, _ args: [String: JSONValue]) throws -> [String] {
            try world.result("ticket.list", actor, args)["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
        }
        #expect(try ids(world.customer, [:]) == [third, second, first], "newest first")
        #expect(try ids(world.customer, ["order": "asc"]) == [first, second, third])
        #expect(try ids(world.customer, ["sort": "priority"]) == [second, third, first])
        #expect(try ids(world.customer, ["sort": "respond_by", "order": "asc"]) == [first, third, second], "Premium 4 h, Standard 8 h, no target")
        #expect(try ids(world.customer, ["filter": ["status": ["open", "in_progress"]]]) == [third, first])
        #expect(try ids(world.customer, ["filter": ["category": "installation"]]) == [second])
        #expect(try ids(world.customer, ["filter": ["priority": ["low", "urgent"]]]) == [second, first])
        #expect(try ids(world.customer, ["filter": ["license": .string(world.standard.key.text)]]) == [third])
        #expect(try ids(world.customer, ["filter": ["search": "DRUCKER"]]) == [first])
        #expect(try ids(world.customer, ["filter": ["search": "jobs hang"]]).count == 3, "the description too")
        #expect(try ids(world.customer, ["filter": ["created_from": world.fixture.date(days: 0, seconds: -60).licenseTimestamp]]) == [third, second])
        #expect(try ids(world.customer, ["filter": ["created_to": world.fixture.date(days: 0, seconds: -61).licenseTimestamp]]) == [first])

        let page = try world.send("ticket.list", world.customer, ["limit": 2])
        try world.expectConforms(page, "ticket.list")
        #expect(page.items.compactMap { $0["id"]?.stringValue } == [third, second])
        let rest = try world.send("ticket.list", world.customer, ["limit": 2, "cursor": .string(try #require(page.nextCursor))])
        #expect(rest.items.compactMap { $0["id"]?.stringValue } == [first] && rest.nextCursor == nil)
        #expect(try world.send("ticket.list", world.customer, ["cursor": .string(try #require(page.nextCursor)), "order": "asc"]).errorCode == "bad_request")
        #expect(try world.send("ticket.list", world.customer, ["cursor": "nonsense"]).errorCode == "bad_request")
    }

    /// `filter.license` and `filter.company` take at most 100 values of at most 100 characters.
    @Test func licenseAndCompanyFiltersAreBounded() throws {
        let id = try world.open(world.customer, license: world.premium)
        let many = (0..<ArgumentReader.maxFilterValues).map { JSONValue.string("li_\($0)") }
        let tooMany = try world.send("ticket.list", world.customer, ["filter": ["license": .array(many + [.string(world.premium.id)])]])
        #expect(tooMany.errorCode == "bad_request", "101 values: \(tooMany)")
        #expect(tooMany.value["error"]?["message"] == "args.filter.license takes at most 100 values, not 101")
        let fits = try world.send("ticket.list", world.customer, ["filter": ["license": .array(many.dropLast() + [.string(world.premium.id)])]])
        #expect(fits.items.compactMap { $0["id"]?.stringValue } == [id], "100 values: \(fits)")

        let long = String(repeating: "x", count: ArgumentReader.maxFilterValueLength + 1)
        for filter: JSONValue in [["license": .string(long)], ["license": [.string(world.premium.id), .string(long)]]] {
            let reply = try world.send("ticket.list", world.customer, ["filter": filter])
            #expect(reply.errorCode == "bad_request" && reply.value["error"]?["message"]?.stringValue?.contains("100 characters") == true, "\(reply)")
        }
        #expect(try world.send("ticket.list", world.support, ["filter": ["company": .array(many + ["co_cust"])]]).errorCode == "bad_request")
        #expect(try world.send("ticket.list", world.support, ["filter": ["company": .string(long)]]).errorCode == "bad_request")
        #expect(try world.send("ticket.list", world.support, ["filter": ["company": .array(many.dropLast() + ["co_cust"])]]).items.count == 1)
    }

    @Test func theQueueSpansCompaniesAndFiltersByCompanyAndAssignee() throws {
        let mine = try world.open(world.customer)
        let theirs = try world.open(world.other)
        let integrators = try world.open(world.integrator, license: world.basic)
        try world.result("ticket.assign", world.support, ["ticket": .string(theirs)])
        func ids(_ filter: [String: JSONValue]) throws -> Set<String> {
            Set(try world.result("ticket.list", world.support, ["filter": .object(filter)])["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? [])
        }
        #expect(try ids([:]) == [mine, theirs, integrators])
        #expect(try ids(["company": ["co_cust", "co_cust2"]]) == [mine, integrators])
        #expect(try ids(["assignee": .string(world.support.userID)]) == [theirs])
        #expect(try ids(["assignee": "none"]) == [mine, integrators])
        for filter: JSONValue in [["company": "co_other"], ["assignee": "none"]] {
            #expect(try world.send("ticket.list", world.customer, ["filter": filter]).errorCode == "bad_request", "staff filters")
        }
    }
}
