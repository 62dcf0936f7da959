import Foundation
import PortalCore
import PortalProtocol
@testable import PortalService
import Testing

/// `offer.request`: routed per license to its reseller, else its distributor, else the vendor,
/// one offer per seller; all or none; in every view with the feature, never for staff.
@Suite struct OfferRequestTests {
    let world: OfferWorld

    init() throws {
        world = try OfferWorld()
    }

    @Test func licensesOfThreeSellersBecomeThreeOffersInTheOrderOfTheirFirstLicense() throws {
        let reply = try world.request(
            [world.direct, world.resold[0], world.distributed, world.resold[1]], years: 2, message: "two more years, please")
        #expect(reply.ok, "\(reply)")
        #expect(try world.violations(reply, of: "offer.request") == [])
        let offers = try #require(reply.result["offers"]?.arrayValue)
        #expect(offers.map { $0["seller"] } == [
            ["role": "vendor", "company": nil], ["role": "reseller", "company": "co_res"], ["role": "distributor", "company": "co_dist"],
        ])
        #expect(offers.map { $0["licenses"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? [] } == [
            [world.direct.id], world.resold.map(\.id), [world.distributed.id],
        ])
        for offer in offers {
            #expect(offer["status"] == "requested" && offer["extension_years"] == 2 && offer["message"] == "two more years, please")
            #expect(offer["requester"]?["company"] == "co_owner" && offer["requester"]?["view"] == "customer")
            #expect(offer["quote"] == .null && offer["decision"] == .null && offer["fulfilment"] == .null)
        }
        #expect(offers[1]["licenses"]?.arrayValue?.first?["key"] == .string(world.resold[0].key.text))

        let events = try world.events([.offerRequested])
        #expect(events.count == 3)
        #expect(events.map { $0["parties"] } == [["co_owner"], ["co_owner", "co_res"], ["co_dist", "co_owner"]])
        #expect(events.allSatisfy { $0["company"] == "co_owner" && $0["data"]?["command"] == "offer.request" })
        #expect(events.map { $0["data"]?["offer"] } == offers, "each event carries its offer as the reply shows it")
    }

    @Test func oneYearByDefaultAndOneToFiveAtMost() throws {
        let reply = try world.request([world.direct])
        #expect(reply.result["offers"]?.arrayValue?.first?["extension_years"] == 1, "\(reply)")
        for years: JSONValue in [0, 6, "2"] {
            #expect(try world.request([world.direct], years: years).errorCode == "bad_request", "\(years)")
        }
        let long = try world.request([world.direct], message: String(repeating: "x", count: 2_001))
        #expect(long.errorCode == "too_large", "as for tickets: \(long)")
        #expect(try world.send("offer.request", as: world.owner).errorCode == "bad_request", "licenses are required")
    }

    @Test func aSellerAskingAboutLicensesItSoldAsksItsOwnSupplier() throws {
        let fromReseller = try world.request([world.resold[0]], as: world.reseller)
        #expect(fromReseller.result["offers"]?.arrayValue?.first?["seller"] == ["role": "distributor", "company": "co_dist"], "\(fromReseller)")
        let fromDistributor = try world.request([world.resold[1], world.distributed], as: world.distributor)
        let offers = try #require(fromDistributor.result["offers"]?.arrayValue, "\(fromDistributor)")
        #expect(offers.count == 1 && offers[0]["seller"] == ["role": "vendor", "company": nil])
        #expect(offers[0]["requester"]?["view"] == "distributor")
    }

    @Test func destroyedAndInvisibleLicensesRefuseTheWholeRequest() throws {
        let foreign = try world.request([world.resold[0], world.foreign])
        #expect(foreign.errorCode == "not_found" && foreign.value["error"]?["details"]?["license"] == .string(world.foreign.id), "\(foreign)")
        #expect(foreign.errorMessage.contains("nothing was requested"))
        let destroyed = try world.request([world.resold[0], world.destroyed])
        #expect(destroyed.errorCode == "conflict" && destroyed.value["error"]?["details"]?["status"] == "destroyed", "\(destroyed)")
        let twice = try world.send("offer.request", as: world.owner, ["licenses": [.string(world.direct.id), .string(world.direct.key.text)]])
        #expect(twice.errorCode == "bad_request", "\(twice)")
        // The reseller's customer view shows only what co_res owns: none of these.
        #expect(try world.request([world.resold[0]], as: world.resellerAsCustomer).errorCode == "not_found")
        #expect(try world.events([.offerRequested]).isEmpty, "nothing was requested")
    }

    @Test func staffAndViewsTheCompanyDoesNotHoldCannotRequest() throws {
        #expect(try world.request([world.direct], as: world.order).errorCode == "forbidden")
        let notHeld = OfferWorld.Party(email: world.owner.email, token: world.owner.token, view: "reseller")
        #expect(try world.request([world.direct], as: notHeld).errorCode == "forbidden")
    }

    @Test func aRetryWithTheSameKeyGetsTheSameOffers() throws {
        let args: [String: JSONValue] = ["licenses": [.string(world.direct.id)]]
        let first = try world.send("offer.request", as: world.owner, idem: "ask-once", args)
        let retry = try world.send("offer.request", as: world.owner, idem: "ask-once", args)
        #expect(first.ok && retry.result == first.result, "\(retry)")
        #expect(try world.events([.offerRequested]).count == 1)
    }
}
