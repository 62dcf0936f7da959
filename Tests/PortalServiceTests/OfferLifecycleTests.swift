import Foundation
import PortalCore
import PortalProtocol
@testable import PortalService
import Testing

/// Quote, accept, decline: who may do each, what a quote must say, and every move the status
/// flow forbids (`conflict` with the allowed moves in `details`).
@Suite struct OfferLifecycleTests {
    let world: OfferWorld

    init() throws {
        world = try OfferWorld()
    }

    @Test func theSellerQuotesAndTheRequesterAccepts() throws {
        let offer = try world.requested(world.resold)
        let quoted = try world.quote(offer, as: world.reseller, price: "2400.5", currency: "eur", note: "loyalty discount")
        #expect(quoted.ok, "\(quoted)")
        #expect(try world.violations(quoted, of: "offer.quote") == [])
        let quote = try #require(quoted.result["offer"]?["quote"])
        #expect(quoted.result["offer"]?["status"] == "quoted")
        #expect(quote["price"] == "2400.5" && quote["currency"] == "EUR" && quote["note"] == "loyalty discount", "exactly as quoted")
        #expect(quote["valid_until"] == world.fixture.date(days: 30).licenseTimestamp)

        let accepted = try world.send("offer.accept", as: world.owner, ["offer": .string(offer)])
        #expect(accepted.ok, "\(accepted)")
        #expect(try world.violations(accepted, of: "offer.accept") == [])
        #expect(accepted.result["offer"]?["status"] == "accepted" && accepted.result["offer"]?["decision"]?["reason"] == .null)
        #expect(try world.stored(offer).quote?.price == Money(units: 24_005, decimals: 1, currency: "EUR"))

        let events = try world.events([.offerRequested, .offerQuoted, .offerAccepted])
        #expect(events.compactMap { $0["type"]?.stringValue } == ["offer.requested", "offer.quoted", "offer.accepted"])
        #expect(events.allSatisfy { $0["parties"] == ["co_owner", "co_res"] })
        #expect(events.last?["data"]?["offer"] == accepted.result["offer"])
    }

    @Test func theRequesterDeclinesWithAReason() throws {
        let offer = try world.quoted()
        let reply = try world.send("offer.decline", as: world.owner, ["offer": .string(offer), "reason": "over budget"])
        #expect(reply.ok && reply.result["offer"]?["status"] == "declined", "\(reply)")
        #expect(reply.result["offer"]?["decision"]?["reason"] == "over budget")
        #expect(try world.violations(reply, of: "offer.decline") == [])
        #expect(try world.events([.offerDeclined]).count == 1)
    }

    @Test func onlyTheSellerQuotesAndTheOrderTeamOnlyWhatWasRoutedToTheVendor() throws {
        let resold = try world.requested(world.resold)
        #expect(try world.quote(resold, as: world.owner).errorCode == "forbidden", "the requester does not quote")
        #expect(try world.quote(resold, as: world.order).errorCode == "forbidden", "the order team does not undercut the reseller")
        #expect(try world.quote(resold, as: world.distributor).errorCode == "not_found", "the distributor is not its seller")
        #expect(try world.quote(resold, as: world.resellerAsCustomer).errorCode == "not_found", "the seller quotes in its reseller view")
        #expect(try world.quote(resold, as: world.support).errorCode == "forbidden", "support is not the order team")

        let distributed = try world.requested([world.distributed])
        #expect(try world.quote(distributed, as: world.distributor).ok)
        let direct = try world.requested([world.direct])
        let byOrderTeam = try world.quote(direct, as: world.order)
        #expect(byOrderTeam.ok && byOrderTeam.result["offer"]?["seller"]?["role"] == "vendor", "\(byOrderTeam)")
    }

    @Test func onlyTheRequesterInItsViewDecides() throws {
        let offer = try world.quoted()
        for command in ["offer.accept", "offer.decline"] {
            #expect(try world.send(command, as: world.reseller, ["offer": .string(offer)]).errorCode == "forbidden", "\(command)")
            #expect(try world.send(command, as: world.other, ["offer": .string(offer)]).errorCode == "not_found", "\(command)")
            #expect(try world.send(command, as: world.order, ["offer": .string(offer)]).errorCode == "forbidden", "\(command): staff")
        }
        #expect(try world.stored(offer).status == .quoted)
    }

    @Test func aQuoteNamesAnExactPriceACurrencyAndAFutureEnd() throws {
        let offer = try world.requested(world.resold)
        for price in ["0", "0.00", "-5", "1e3", "12.34567", "01.5", "1,50", "12.", ".5", "1000000000000", " ", "12.5.1"] {
            #expect(try world.quote(offer, as: world.reseller, price: price).errorCode == "bad_request", "price \(price)")
        }
        for currency in ["EU", "EURO", "E1R", "€"] {
            #expect(try world.quote(offer, as: world.reseller, currency: currency).errorCode == "bad_request", "currency \(currency)")
        }
        #expect(try world.quote(offer, as: world.reseller, validDays: 0).errorCode == "bad_request", "now is not the future")
        #expect(try world.quote(offer, as: world.reseller, validDays: -1).errorCode == "bad_request")
        let number = try world.send("offer.quote", as: world.reseller, [
            "offer": .string(offer), "price": 1250, "currency": "EUR", "valid_until": world.fixture.date(days: 5).licenseTimestamp,
        ])
        #expect(number.errorCode == "bad_request", "a JSON number is not a price: \(number)")
        #expect(try world.stored(offer).status == .requested)
        #expect(try world.quote(offer, as: world.reseller, price: "0.01").ok)
    }

    /// Every status against every move: only the flow's moves pass; the others are `conflict`
    /// naming the status and what it may still become.
    @Test func everyForbiddenTransitionIsAConflictNamingTheAllowedOnes() throws {
        let expired = try world.quoted(validDays: 1)
        try world.advance(days: 2)
        let offers: [(status: String, id: String)] = [
            ("requested", try world.requested(world.resold)), ("quoted", try world.quoted()), ("accepted", try world.accepted()),
            ("declined", try world.declined()), ("expired", expired),
        ]
        let allowed: [String: [JSONValue]] = [
            "requested": ["quoted"], "quoted": ["accepted", "declined", "expired"], "accepted": ["fulfilled"], "declined": [],
            "expired": [],
        ]
        let moves: [(command: String, party: OfferWorld.Party, target: String)] = [
            ("offer.quote", world.reseller, "quoted"), ("offer.accept", world.owner, "accepted"),
            ("offer.decline", world.owner, "declined"),
        ]
        for (status, id) in offers {
            for (command, party, target) in moves where !(allowed[status]?.contains(.string(target)) ?? false) {
                let reply = command == "offer.quote"
                    ? try world.quote(id, as: party) : try world.send(command, as: party, ["offer": .string(id)])
                #expect(reply.errorCode == "conflict", "\(command) on \(status): \(reply)")
                let details = reply.value["error"]?["details"]
                #expect(details?["status"] == .string(status) && details?["allowed"] == .array(allowed[status] ?? []), "\(reply)")
                #expect(details?["offer"] == .string(id))
            }
            #expect(try world.get(id, as: world.owner).result["offer"]?["status"] == .string(status), "unchanged")
        }
    }

    @Test func aQuotePastItsEndIsExpiredBeforeTheSchedulerSaysSo() throws {
        let offer = try world.quoted(validDays: 1)
        try world.advance(days: 1)
        #expect(try world.get(offer, as: world.owner).result["offer"]?["status"] == "expired")
        #expect(try world.stored(offer).status == .quoted, "the expiry pass has not run")
        let late = try world.send("offer.accept", as: world.owner, ["offer": .string(offer)])
        #expect(late.errorCode == "conflict" && late.value["error"]?["details"]?["status"] == "expired", "\(late)")
    }
}
