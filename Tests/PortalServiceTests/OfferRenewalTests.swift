import Foundation
import PortalCore
import PortalProtocol
@testable import PortalService
import Testing

/// `license.renew {offer}`: the renewal fulfils an accepted offer in its own transaction, for the
/// offer's years and among its licenses, once.
@Suite struct OfferRenewalTests {
    let world: OfferWorld

    init() throws {
        world = try OfferWorld()
    }

    private func renew(_ licenses: [License], offer: String, years: JSONValue? = nil) throws -> LicenseReply {
        var args: [String: JSONValue] = [
            "licenses": licenses.map(\.id).licenseJSON, "order_reference": "SO-2026-004711", "offer": .string(offer),
        ]
        if let years { args["years"] = years }
        return try world.send("license.renew", as: world.order, args)
    }

    private func serviceEnd(_ license: License) throws -> Date? {
        try world.fixture.store.read { try $0.license(id: license.id) }?.service?.end
    }

    @Test func anAcceptedOfferRenewsForItsYearsAndIsFulfilledOnce() throws {
        let offer = try world.accepted(years: 2)
        let reply = try renew(world.resold, offer: offer)
        #expect(reply.ok, "\(reply)")
        #expect(try world.violations(reply, of: "license.renew") == [])
        #expect(reply.result["years"] == 2 && reply.result["offer"] == .string(offer))
        for license in world.resold {
            #expect(try serviceEnd(license) == license.renewed(years: 2, at: world.fixture.now).service?.end)
        }

        let fulfilled = try world.stored(offer)
        #expect(fulfilled.status == .fulfilled)
        #expect(fulfilled.fulfilment?.orderReference == "SO-2026-004711")
        let events = try world.events([.licenseRenewed, .offerFulfilled])
        #expect(events.compactMap { $0["type"]?.stringValue } == ["license.renewed", "license.renewed", "offer.fulfilled"])
        #expect(events.prefix(2).allSatisfy { $0["data"]?["offer"] == .string(offer) && $0["data"]?["years"] == 2 })
        #expect(events.last?["parties"] == ["co_owner", "co_res"])
        #expect(events.last?["data"]?["offer"]?["fulfilment"]?["order_reference"] == "SO-2026-004711")
        #expect(try world.get(offer, as: world.owner).result["offer"]?["status"] == "fulfilled", "the requester sees it fulfilled")

        let again = try renew(world.resold, offer: offer)
        #expect(again.errorCode == "conflict", "\(again)")
        #expect(again.value["error"]?["details"]?["status"] == "fulfilled" && again.value["error"]?["details"]?["allowed"] == [])
        for license in world.resold {
            #expect(try serviceEnd(license) == license.renewed(years: 2, at: world.fixture.now).service?.end, "not renewed twice")
        }
    }

    @Test func someOfTheOffersLicensesAndTheSameYearsMayBeGiven() throws {
        let offer = try world.accepted(years: 3)
        let reply = try renew([world.resold[1]], offer: offer, years: 3)
        #expect(reply.ok, "\(reply)")
        #expect(try serviceEnd(world.resold[1]) == world.resold[1].renewed(years: 3, at: world.fixture.now).service?.end)
        #expect(try serviceEnd(world.resold[0]) == world.fixture.date(days: 100), "left out")
        #expect(try world.stored(offer).status == .fulfilled)
    }

    @Test func aRenewalThatDoesNotFitTheOfferRenewsNothing() throws {
        let accepted = try world.accepted(years: 2)
        let cases: [(reply: LicenseReply, code: String)] = [
            (try renew(world.resold, offer: accepted, years: 1), "conflict"),
            (try renew(world.resold + [world.direct], offer: accepted), "conflict"),
            (try renew(world.resold, offer: try world.quoted()), "conflict"),
            (try renew(world.resold, offer: try world.requested(world.resold)), "conflict"),
            (try renew(world.resold, offer: try world.declined()), "conflict"),
            (try renew(world.resold, offer: "of_none"), "not_found"),
        ]
        for (reply, code) in cases {
            #expect(reply.errorCode == code, "\(reply)")
            #expect(reply.errorMessage.contains("nothing was renewed") || reply.errorMessage.contains("cannot become fulfilled"), "\(reply)")
        }
        #expect(cases[0].reply.value["error"]?["details"]?["extension_years"] == 2)
        #expect(cases[1].reply.value["error"]?["details"]?["license"] == .string(world.direct.id))
        #expect(cases[2].reply.value["error"]?["details"]?["allowed"] == ["accepted", "declined", "expired"])
        for license in world.resold + [world.direct] { #expect(try serviceEnd(license) == world.fixture.date(days: 100)) }
        #expect(try world.stored(accepted).status == .accepted)
        #expect(try world.events([.licenseRenewed, .offerFulfilled]).isEmpty)
    }

    @Test func withoutAnOfferTheYearsAreRequired() throws {
        let reply = try world.send("license.renew", as: world.order, [
            "licenses": [.string(world.direct.id)], "order_reference": "SO-1",
        ])
        #expect(reply.errorCode == "bad_request" && reply.errorMessage.contains("args.years"), "\(reply)")
    }
}
