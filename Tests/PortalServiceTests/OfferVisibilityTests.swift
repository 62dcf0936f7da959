import Foundation
import PortalCore
import PortalProtocol
@testable import PortalService
import Testing

/// Who sees an offer: the requester in the view it asked in, the seller in its reseller or
/// distributor view, the order team everything; nobody else, not even by a hint.
@Suite struct OfferVisibilityTests {
    let world: OfferWorld

    init() throws {
        world = try OfferWorld()
    }

    private func listedIDs(_ party: OfferWorld.Party, _ args: [String: JSONValue] = [:]) throws -> [String] {
        let reply = try world.send("offer.list", as: party, args)
        try #require(reply.ok, "\(reply)")
        #expect(try world.violations(reply, of: "offer.list") == [])
        return reply.items.compactMap { $0["id"]?.stringValue }
    }

    @Test func eachSideSeesItsOwnAndOthersSeeNothing() throws {
        let resold = try world.requested(world.resold)
        let distributed = try world.requested([world.distributed])
        let direct = try world.requested([world.direct])
        let ownRequest = try #require(try world.request([world.resold[0]], as: world.reseller).result["offers"]?.arrayValue?.first?["id"]?.stringValue)

        #expect(try listedIDs(world.owner) == [direct, distributed, resold], "newest first")
        #expect(try listedIDs(world.reseller) == [ownRequest, resold], "routed to it, and its own request in this view")
        #expect(try listedIDs(world.resellerAsCustomer).isEmpty, "co_res's customer view holds neither")
        #expect(try listedIDs(world.distributor) == [ownRequest, distributed])
        #expect(try listedIDs(world.other).isEmpty)
        #expect(try listedIDs(world.order) == [ownRequest, direct, distributed, resold])

        for id in [resold, distributed, direct] {
            let reply = try world.get(id, as: world.other)
            #expect(reply.errorCode == "not_found", "\(reply)")
            #expect(reply.errorMessage == "no offer '\(id)'", "the same message as for no offer at all")
        }
        #expect(try world.get("of_none", as: world.other).errorMessage == "no offer 'of_none'")
        #expect(try world.get(direct, as: world.reseller).errorCode == "not_found")
        let seen = try world.get(resold, as: world.reseller)
        #expect(seen.ok)
        #expect(try world.violations(seen, of: "offer.get") == [])
        #expect(try world.get(resold, as: world.order).ok)
        #expect(try world.get(resold, as: world.support).errorCode == "forbidden")
    }

    @Test func eventsOfAnOfferReachOnlyItsParties() throws {
        _ = try world.accepted()
        _ = try world.requested([world.direct])
        let events = try world.events([.offerRequested, .offerQuoted, .offerAccepted])
        #expect(events.count == 4)
        #expect(events.allSatisfy { !($0["parties"]?.arrayValue ?? []).contains("co_other") && !($0["parties"]?.arrayValue ?? []).contains("co_dist") })
    }

    @Test func filtersAndPagesFollowTheCursor() throws {
        let quoted = try world.quoted()
        let accepted = try world.accepted()
        let requested = try world.requested([world.direct])
        #expect(try listedIDs(world.owner, ["status": "quoted"]) == [quoted])
        #expect(try listedIDs(world.owner, ["status": ["accepted", "requested"]]) == [requested, accepted])
        #expect(try listedIDs(world.order, ["company": "co_res"]) == [accepted, quoted])
        #expect(try world.send("offer.list", as: world.owner, ["status": "pending"]).errorCode == "bad_request")

        var pages: [[String]] = []
        var cursor: JSONValue = .null
        repeat {
            let reply = try world.send("offer.list", as: world.owner, ["limit": 2, "cursor": cursor])
            pages.append(reply.items.compactMap { $0["id"]?.stringValue })
            cursor = reply.result["next_cursor"] ?? .null
        } while cursor != .null
        #expect(pages == [[requested, accepted], [quoted]])
        #expect(try world.send("offer.list", as: world.owner, ["cursor": "x"]).errorCode == "bad_request")

        try world.advance(days: 31)
        #expect(try listedIDs(world.owner, ["status": "expired"]) == [quoted], "a quote past its end counts as expired")
        #expect(try listedIDs(world.owner, ["status": "quoted"]).isEmpty)
    }

    @Test func theOrderQueueHoldsVendorRequestsAndAcceptedOffersOldestFirst() throws {
        let accepted = try world.accepted()
        let vendor = try world.requested([world.direct])
        _ = try world.requested([world.distributed])
        _ = try world.quoted()
        let quotedByVendor = try world.requested([world.direct])
        #expect(try world.quote(quotedByVendor, as: world.order).ok)

        let queue = try world.send("offer.queue", as: world.order)
        #expect(queue.ok, "\(queue)")
        #expect(try world.violations(queue, of: "offer.queue") == [])
        #expect(queue.items.compactMap { $0["id"]?.stringValue } == [accepted, vendor])
        let first = try world.send("offer.queue", as: world.order, ["limit": 1])
        let second = try world.send("offer.queue", as: world.order, ["limit": 1, "cursor": first.result["next_cursor"] ?? .null])
        #expect(first.items.first?["id"] == .string(accepted) && second.items.first?["id"] == .string(vendor))
        #expect(second.result["next_cursor"] == .null)
        #expect(try world.send("offer.queue", as: world.owner).errorCode == "forbidden")
        #expect(try world.send("offer.queue", as: world.support).errorCode == "forbidden")
    }
}
