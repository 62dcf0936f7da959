import Foundation
import PortalCore
import PortalProtocol
@testable import PortalService
import Testing

/// Paging `offer.list` and `offer.queue`: every offer once, with cursors that tell nothing about
/// other companies' offers; and the bounds of what a request may say.
@Suite struct OfferListTests {
    let world: OfferWorld

    init() throws {
        world = try OfferWorld()
    }

    /// Every page of `command` for `party`, `limit` offers a page: the ids and the cursors given.
    private func pages(
        _ command: String = "offer.list", as party: OfferWorld.Party, limit: Int, _ args: [String: JSONValue] = [:]
    ) throws -> (ids: [String], cursors: [String]) {
        var ids: [String] = [], cursors: [String] = []
        var cursor: JSONValue = .null
        repeat {
            let reply = try world.send(command, as: party, args.merging(["limit": .int(Int64(limit)), "cursor": cursor]) { $1 })
            try #require(reply.ok, "\(reply)")
            ids += reply.items.compactMap { $0["id"]?.stringValue }
            cursor = reply.result["next_cursor"] ?? .null
            if let text = cursor.stringValue { cursors.append(text) }
        } while cursor != .null
        return (ids, cursors)
    }

    /// The owner's and co_other's requests, interleaved; the owner's ids, newest first.
    private func interleavedRequests() throws -> [String] {
        var owned: [String] = []
        for _ in 0..<3 {
            owned.insert(try world.requested([world.direct]), at: 0)
            for _ in 0..<2 { #expect(try world.request([world.foreign], as: world.other).ok) }
        }
        return owned
    }

    @Test func pagesHoldEveryVisibleOfferOnce() throws {
        let owned = try interleavedRequests()
        for limit in [1, 2, 3, 50] {
            #expect(try pages(as: world.owner, limit: limit).ids == owned, "limit \(limit)")
        }
        let everyOffer = try pages(as: world.order, limit: 50).ids
        #expect(everyOffer.count == 9 && Set(everyOffer).count == 9)
        #expect(try pages(as: world.order, limit: 2).ids == everyOffer)
        #expect(try pages(as: world.order, limit: 4, ["company": "co_other"]).ids == everyOffer.filter { !owned.contains($0) })
    }

    @Test func aCursorCarriesTheLastOfferAndNothingAboutOthers() throws {
        let owned = try interleavedRequests()
        let first = try #require(try pages(as: world.owner, limit: 1).cursors.first)
        let base64 = first.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        let text = try #require(Data(base64Encoded: base64).flatMap { String(data: $0, encoding: .utf8) })
        #expect(
            text.split(separator: "\n").map(String.init)
                == ["requested_at", "desc", String(world.fixture.now.unixSeconds), owned[0]],
            "sort, order, the last offer's request time and id: \(text)")

        // The same page after others asked for more offers: the same cursor, the same pages.
        for _ in 0..<5 { #expect(try world.request([world.foreign], as: world.other).ok) }
        let again = try pages(as: world.owner, limit: 1)
        #expect(again.cursors.first == first)
        #expect(again.ids == owned)
    }

    @Test func aCursorIsTakenOnlyWhereItWasGiven() throws {
        _ = try interleavedRequests()
        let owners = try #require(try pages(as: world.owner, limit: 1).cursors.first)
        let others = try #require(try pages(as: world.other, limit: 1).cursors.first)
        let queued = try #require(try pages("offer.queue", as: world.order, limit: 1).cursors.first)

        for (party, cursor) in [(world.owner, others), (world.other, owners)] {
            let reply = try world.send("offer.list", as: party, ["cursor": .string(cursor)])
            #expect(reply.errorCode == "bad_request", "a cursor past another company's offer: \(reply)")
        }
        #expect(try world.send("offer.list", as: world.order, ["cursor": .string(owners)]).ok, "staff see that offer")
        #expect(try world.send("offer.queue", as: world.order, ["cursor": .string(owners)]).errorCode == "bad_request")
        #expect(try world.send("offer.list", as: world.order, ["cursor": .string(queued)]).errorCode == "bad_request")
        for forged in ["1", "x", ListCursor.encode(sort: "requested_at", order: "desc", value: "0", id: "of_none")] {
            #expect(try world.send("offer.list", as: world.owner, ["cursor": .string(forged)]).errorCode == "bad_request", "\(forged)")
        }
    }

    @Test func aStatusFilterTakesAtMostAHundredValues() throws {
        let requested = try world.requested([world.direct])
        let hundred = JSONValue.array(Array(repeating: "requested", count: 100))
        let listed = try world.send("offer.list", as: world.owner, ["status": hundred])
        #expect(listed.items.compactMap { $0["id"]?.stringValue } == [requested], "\(listed)")
        let tooMany = try world.send("offer.list", as: world.owner, ["status": .array(Array(repeating: "requested", count: 101))])
        #expect(tooMany.errorCode == "bad_request" && tooMany.errorMessage == "args.status takes at most 100 values, not 101", "\(tooMany)")
        let schema = try world.validator.validate(
            ["status": .array(Array(repeating: "requested", count: 101))], against: "commands/offer.list.schema.json#/$defs/args")
        #expect(!schema.isEmpty, "the schema says so too")
    }

    @Test func textsOverTheLimitAreTooLargeNamingIt() throws {
        func expectTooLarge(_ reply: LicenseReply, _ argument: String) {
            #expect(reply.errorCode == "too_large", "\(argument): \(reply)")
            #expect(reply.value["error"]?["details"] == ["argument": .string(argument), "limit_chars": 2_000], "\(reply)")
        }
        let long = String(repeating: "ü", count: 2_001), longest = String(repeating: "ü", count: 2_000)
        expectTooLarge(try world.request([world.direct], message: long), "message")
        #expect(try world.request([world.direct], message: longest).ok)

        let offer = try world.requested(world.resold)
        expectTooLarge(try world.quote(offer, as: world.reseller, note: long), "note")
        #expect(try world.quote(offer, as: world.reseller, note: longest).ok)
        expectTooLarge(try world.send("offer.decline", as: world.owner, ["offer": .string(offer), "reason": .string(long)]), "reason")
        #expect(try world.stored(offer).status == .quoted, "nothing declined")
        #expect(try world.send("offer.decline", as: world.owner, ["offer": .string(offer), "reason": " "]).errorCode == "bad_request")
    }

    @Test func eachStatusIsAnnouncedByItsOwnEvent() {
        for status in Offer.Status.allCases {
            #expect(status.eventType.rawValue == "offer.\(status.rawValue)")
        }
    }
}
