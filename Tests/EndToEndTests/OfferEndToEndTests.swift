import Foundation
import PortalCore
import PortalProtocol
import Testing

/// Service offers through the real `portald` with demo data: from request to renewal with the
/// events published, routing to each kind of seller, expiry with a moved clock, every forbidden
/// move, and companies outside an offer seeing nothing of it.
///
/// The demo offers: `of_demo_1` requested by Demo Customer AG from the demo reseller,
/// `of_demo_2` quoted by it (valid 30 days), `of_demo_3` requested by the provider from the
/// vendor, `of_demo_4` of the second customer, accepted from the multi company.
@Suite struct OfferEndToEndTests {
    // MARK: - Helpers

    /// A demo account's session, in one of its company's views (none for staff).
    private struct Account {
        let token: String
        let view: String?

        init(_ email: String, view: String? = nil, on server: PortaldProcess) throws {
            token = try DemoWorld.token(email, on: server)
            self.view = view
        }
    }

    private static func ask(_ server: PortaldProcess, _ command: String, as account: Account, _ arguments: [String: JSONValue] = [:]) throws -> JSONValue {
        let reply = try server.client().request(RequestLine.line(
            id: 1, command: command, auth: account.token, view: account.view, arguments: arguments))
        if reply.errorCode == "internal" { Issue.record("\(command): \(reply.text); server log: \(server.standardError)") }
        return reply
    }

    /// The result of an ok reply; fails the test with the reply otherwise.
    private static func result(
        _ server: PortaldProcess, _ command: String, as account: Account, _ arguments: [String: JSONValue] = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> JSONValue {
        let reply = try ask(server, command, as: account, arguments)
        return try #require(reply.result, "\(command) \(JSONValue.object(arguments).text): \(reply.text)", sourceLocation: sourceLocation)
    }

    /// The ids of the offers `account` lists.
    private static func listed(_ server: PortaldProcess, as account: Account) throws -> Set<String> {
        let items = try result(server, "offer.list", as: account, ["limit": 500])["items"]?.arrayValue ?? []
        return Set(items.compactMap { $0["id"]?.stringValue })
    }

    private static func offerIDs(_ result: JSONValue) -> [String] {
        (result["offers"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
    }

    private static func quote(_ server: PortaldProcess, _ offer: String, as seller: Account, price: String = "980.00") throws -> JSONValue {
        try ask(server, "offer.quote", as: seller, [
            "offer": .string(offer), "price": .string(price), "currency": "EUR",
            "valid_until": .string(RFC3339.string(from: Date().addingTimeInterval(30 * 86_400))),
        ])
    }

    // MARK: - Request to renewal

    @Test func anOfferGoesFromRequestToRenewalAndEveryStepIsPublished() throws {
        let world = try DemoWorld()
        let server = try world.start()
        let customer = try Account("customer@demo.example", view: "customer", on: server)
        let reseller = try Account("reseller@demo.example", view: "reseller", on: server)
        let order = try Account("order@demo.example", on: server)
        let licenses: [JSONValue] = ["li_demo_8", "li_demo_12"]
        let serviceEnds = try licenses.map { license in
            try #require(try Self.result(server, "license.get", as: customer, ["license": license])["service"]?["end"]?.stringValue)
        }
        let first = try DemoWorld.lastSeq(on: server) + 1
        let subscriber = try world.subscribe(
            to: server, ["--from", "\(first)", "--topic", "event/offer.", "--topic", "event/license.renewed/", "--count", "6"])

        let requested = try Self.result(server, "offer.request", as: customer, [
            "licenses": .array(licenses), "extension_years": 2, "message": "two more years for both, please",
        ])
        let offers = requested["offers"]?.arrayValue ?? []
        try #require(offers.count == 1, "one seller: \(requested.text)")
        #expect(offers[0]["seller"] == ["role": "reseller", "company": "co_demo_reseller"])
        let offer = try #require(offers[0]["id"])
        #expect(try Self.listed(server, as: reseller).contains(offer.stringValue ?? ""), "the reseller sees the request")

        let quoted = try Self.quote(server, offer.stringValue ?? "", as: reseller, price: "3100.00")
        #expect(quoted.result?["offer"]?["quote"]?["price"] == "3100.00", "\(quoted.text)")
        let accepted = try Self.result(server, "offer.accept", as: customer, ["offer": offer])
        #expect(accepted["offer"]?["status"] == "accepted")
        let queue = try Self.result(server, "offer.queue", as: order, ["limit": 500])["items"]?.arrayValue ?? []
        #expect(queue.contains { $0["id"] == offer }, "the accepted offer waits for the order team")

        let renewal = try Self.result(server, "license.renew", as: order, [
            "licenses": .array(licenses), "order_reference": "SO-2026-009001", "offer": offer,
        ])
        #expect(renewal["years"] == 2 && renewal["offer"] == offer, "the offer's years: \(renewal.text)")
        for (license, before) in zip(licenses, serviceEnds) {
            let after = try #require(try Self.result(server, "license.get", as: customer, ["license": license])["service"]?["end"]?.stringValue)
            // Two calendar years on: the same day and time, the year plus two.
            #expect(after.dropFirst(4) == before.dropFirst(4) && Int(after.prefix(4)) == Int(before.prefix(4)).map { $0 + 2 },
                    "\(license): \(before) → \(after)")
        }
        let fulfilled = try Self.result(server, "offer.get", as: customer, ["offer": offer])["offer"]
        #expect(fulfilled?["status"] == "fulfilled" && fulfilled?["fulfilment"]?["order_reference"] == "SO-2026-009001")
        #expect(try !(Self.result(server, "offer.queue", as: order, ["limit": 500])["items"]?.arrayValue ?? []).contains { $0["id"] == offer })

        #expect(subscriber.waitForExit(timeout: .seconds(60)) == 0, "stderr: \(subscriber.standardError)")
        let published = try subscriber.printedEvents()
        #expect(published.compactMap { $0["type"]?.stringValue } == [
            "offer.requested", "offer.quoted", "offer.accepted", "license.renewed", "license.renewed", "offer.fulfilled",
        ])
        for event in published where event["type"]?.stringValue?.hasPrefix("offer.") == true {
            #expect(event["data"]?["offer"]?["id"] == offer && event["parties"] == ["co_demo_customer", "co_demo_reseller"], "\(event.text)")
        }
        #expect(published.filter { $0["type"] == "license.renewed" }.allSatisfy { $0["data"]?["offer"] == offer })
    }

    // MARK: - Routing and visibility

    @Test func requestsGoToEachKindOfSellerAndNobodyElseSeesThem() throws {
        let world = try DemoWorld()
        let server = try world.start()
        let order = try Account("order@demo.example", on: server)
        // A buyer with a license supplied by a distributor alone, and one bought direct.
        let imported = try Self.result(server, "license.import", as: order, ["rows": [
            ["type": "company", "ref": "C-OFFER", "name": "Direct Buyer GmbH", "views": ["customer"]],
            ["type": "company", "ref": "D-OFFER", "name": "Wholesale Only AG", "views": ["distributor"]],
            ["type": "user", "email": "buyer@offers.example", "name": "Bo Buyer", "company": "C-OFFER", "role": "admin", "password": .string(DemoWorld.password)],
            ["type": "user", "email": "wholesale@offers.example", "name": "Wu Wholesale", "company": "D-OFFER", "role": "admin", "password": .string(DemoWorld.password)],
            ["type": "product", "ref": "OFFER-ENGINE", "name": "Offer Engine", "line": "ThinPrint"],
            ["type": "license", "order_reference": "SO-OFFER", "order_position": 1, "order_date": "2026-01-15T00:00:00Z",
             "product": "OFFER-ENGINE", "owner": "C-OFFER", "distributor": "D-OFFER", "service_end": "2027-01-15T00:00:00Z"],
            ["type": "license", "order_reference": "SO-OFFER", "order_position": 2, "order_date": "2026-01-15T00:00:00Z",
             "product": "OFFER-ENGINE", "owner": "C-OFFER", "service_end": "2027-01-15T00:00:00Z"],
        ]])
        try #require(imported["errors"] == [], "\(imported.text)")
        let before = try DemoWorld.lastSeq(on: server)

        let buyer = try Account("buyer@offers.example", view: "customer", on: server)
        let fromBuyer = try Self.result(server, "offer.request", as: buyer, ["licenses": ["li_ext_SO-OFFER_1", "li_ext_SO-OFFER_2"]])
        #expect((fromBuyer["offers"]?.arrayValue ?? []).map { $0["seller"] } == [
            ["role": "distributor", "company": "co_ext_D-OFFER"], ["role": "vendor", "company": nil],
        ], "\(fromBuyer.text)")
        let customer2 = try Account("customer2@demo.example", view: "customer", on: server)
        let fromCustomer2 = try Self.result(server, "offer.request", as: customer2, ["licenses": ["li_demo_31", "li_demo_40"]])
        #expect((fromCustomer2["offers"]?.arrayValue ?? []).map { $0["seller"] } == [
            ["role": "reseller", "company": "co_demo_reseller"], ["role": "reseller", "company": "co_demo_multi"],
        ], "\(fromCustomer2.text)")
        let (toDistributor, toVendor) = (Self.offerIDs(fromBuyer)[0], Self.offerIDs(fromBuyer)[1])
        let (toReseller, toMulti) = (Self.offerIDs(fromCustomer2)[0], Self.offerIDs(fromCustomer2)[1])
        let new: Set = [toDistributor, toVendor, toReseller, toMulti]

        let sees: [(account: Account, name: String, offers: Set<String>)] = [
            (buyer, "the buyer", [toDistributor, toVendor]),
            (customer2, "the second customer", [toReseller, toMulti]),
            (try Account("wholesale@offers.example", view: "distributor", on: server), "its distributor", [toDistributor]),
            (try Account("reseller@demo.example", view: "reseller", on: server), "the demo reseller", [toReseller]),
            (try Account("multi@demo.example", view: "reseller", on: server), "the multi company", [toMulti]),
            // The demo distributor supplied li_demo_31, but its reseller sold it: not its offer.
            (try Account("distributor@demo.example", view: "distributor", on: server), "the demo distributor", []),
            (try Account("multi@demo.example", view: "service_provider", on: server), "the multi company as provider", []),
            (try Account("customer@demo.example", view: "customer", on: server), "the demo customer", []),
            (try Account("partner@demo.example", view: "partner", on: server), "the partner", []),
            (try Account("integrator@demo.example", view: "system_integrator", on: server), "the integrator", []),
            (order, "the order team", new),
        ]
        for (account, name, expected) in sees {
            #expect(try Self.listed(server, as: account).intersection(new) == expected, "\(name)")
            for offer in new.subtracting(expected) {
                let reply = try Self.ask(server, "offer.get", as: account, ["offer": .string(offer)])
                #expect(reply.errorCode == "not_found", "\(name) gets \(offer): \(reply.text)")
            }
        }
        let queue = try Self.result(server, "offer.queue", as: order, ["limit": 500])["items"]?.arrayValue ?? []
        #expect(Set(queue.compactMap { $0["id"]?.stringValue }).intersection(new) == [toVendor], "the vendor's request waits for a quote")

        let requested = try DemoWorld.events(after: before, on: server).filter { $0["type"] == "offer.requested" }
        #expect(requested.map { $0["parties"] } == [
            ["co_ext_C-OFFER", "co_ext_D-OFFER"], ["co_ext_C-OFFER"],
            ["co_demo_customer2", "co_demo_reseller"], ["co_demo_customer2", "co_demo_multi"],
        ])
    }

    // MARK: - Expiry

    @Test func aQuoteExpiresOnceWhenTheMovedClockPassesItsEnd() throws {
        let world = try DemoWorld()
        let server = try world.start(["--test-clock", "--schedule-interval", "1"])
        let quote = try Self.result(server, "offer.get", as: try Account("customer@demo.example", view: "customer", on: server),
                                    ["offer": "of_demo_2"])["offer"]?["quote"]
        let validUntil = try #require(quote?["valid_until"])
        let before = try DemoWorld.lastSeq(on: server)

        let moved = try Self.ask(server, "system.clock.advance", as: try Account("admin@demo.example", on: server), ["days": 31])
        try #require(moved.isOK, "\(moved.text)")
        var expired: [JSONValue] = []
        let deadline = Date().addingTimeInterval(20)
        while expired.isEmpty && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.2)
            expired = try DemoWorld.events(after: before, on: server).filter { $0["type"] == "offer.expired" }
        }
        try #require(expired.count == 1, "one quote ended: \(expired.map(\.text))")
        #expect(expired[0]["data"]?["offer"]?["id"] == "of_demo_2" && expired[0]["data"]?["cause"] == "schedule")
        #expect(expired[0]["at"] == validUntil, "dated when the quote ended")
        #expect(expired[0]["parties"] == ["co_demo_customer", "co_demo_reseller"])

        // A session from before the move has run out: log in on the moved clock.
        let customer = try Account("customer@demo.example", view: "customer", on: server)
        #expect(try Self.result(server, "offer.get", as: customer, ["offer": "of_demo_2"])["offer"]?["status"] == "expired")
        let late = try Self.ask(server, "offer.accept", as: customer, ["offer": "of_demo_2"])
        #expect(late.errorCode == "conflict" && late["error"]?["details"]?["status"] == "expired", "\(late.text)")
        let customer2 = try Account("customer2@demo.example", view: "customer", on: server)
        #expect(try Self.result(server, "offer.get", as: customer2, ["offer": "of_demo_4"])["offer"]?["status"] == "accepted",
                "an accepted quote does not expire")

        Thread.sleep(forTimeInterval: 2)  // further passes
        #expect(try DemoWorld.events(after: before, on: server).filter { $0["type"] == "offer.expired" }.count == 1, "once")
    }

    // MARK: - Forbidden moves

    @Test func everyMoveOutsideTheFlowIsAConflictNamingTheAllowedOnes() throws {
        let world = try DemoWorld()
        let server = try world.start()
        let customer = try Account("customer@demo.example", view: "customer", on: server)
        let customer2 = try Account("customer2@demo.example", view: "customer", on: server)
        let reseller = try Account("reseller@demo.example", view: "reseller", on: server)
        let multi = try Account("multi@demo.example", view: "reseller", on: server)
        let order = try Account("order@demo.example", on: server)

        let quoted = try #require(Self.offerIDs(try Self.result(server, "offer.request", as: customer, ["licenses": ["li_demo_9"]])).first)
        try #require(try Self.quote(server, quoted, as: reseller).isOK)
        _ = try Self.result(server, "offer.accept", as: customer, ["offer": "of_demo_2"])
        let declined = try #require(Self.offerIDs(try Self.result(server, "offer.request", as: customer2, ["licenses": ["li_demo_31"]])).first)
        try #require(try Self.quote(server, declined, as: reseller).isOK)
        _ = try Self.result(server, "offer.decline", as: customer2, ["offer": .string(declined), "reason": "not this year"])
        _ = try Self.result(server, "license.renew", as: order, ["licenses": ["li_demo_40"], "order_reference": "SO-2026-009002", "offer": "of_demo_4"])

        let offers: [(id: String, status: String, requester: Account, seller: Account, allowed: [JSONValue])] = [
            ("of_demo_1", "requested", customer, reseller, ["quoted"]),
            (quoted, "quoted", customer, reseller, ["accepted", "declined", "expired"]),
            ("of_demo_2", "accepted", customer, reseller, ["fulfilled"]),
            (declined, "declined", customer2, reseller, []),
            ("of_demo_4", "fulfilled", customer2, multi, []),
        ]
        for (id, status, requester, seller, allowed) in offers {
            let moves: [(target: String, reply: () throws -> JSONValue)] = [
                ("quoted", { try Self.quote(server, id, as: seller) }),
                ("accepted", { try Self.ask(server, "offer.accept", as: requester, ["offer": .string(id)]) }),
                ("declined", { try Self.ask(server, "offer.decline", as: requester, ["offer": .string(id)]) }),
                ("fulfilled", {
                    let licenses = try Self.result(server, "offer.get", as: requester, ["offer": .string(id)])["offer"]?["licenses"]?
                        .arrayValue?.compactMap { $0["id"] } ?? []
                    return try Self.ask(server, "license.renew", as: order, [
                        "licenses": .array(licenses), "order_reference": "SO-2026-009003", "offer": .string(id),
                    ])
                }),
            ]
            for (target, reply) in moves where !allowed.contains(.string(target)) {
                let refused = try reply()
                #expect(refused.errorCode == "conflict", "\(status) → \(target): \(refused.text)")
                #expect(refused["error"]?["details"]?["status"] == .string(status), "\(refused.text)")
                #expect(refused["error"]?["details"]?["allowed"] == .array(allowed), "\(refused.text)")
            }
            #expect(try Self.result(server, "offer.get", as: requester, ["offer": .string(id)])["offer"]?["status"] == .string(status))
        }
    }
}
