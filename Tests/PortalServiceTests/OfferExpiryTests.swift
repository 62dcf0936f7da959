import Foundation
import PortalCore
import PortalProtocol
@testable import PortalService
import Testing

/// The expiry pass: each quote that time ended becomes `expired` once, with `offer.expired`
/// dated when it ended; nothing else changes.
@Suite struct OfferExpiryTests {
    let world: OfferWorld

    init() throws {
        world = try OfferWorld()
    }

    @Test func endedQuotesExpireOnceDatedWhenTheyEnded() throws {
        let short = try world.quoted(validDays: 1)
        let long = try world.quoted(validDays: 10)
        let accepted = try world.accepted()
        let requested = try world.requested([world.direct])
        let expiry = OfferExpiry(store: world.fixture.store, batchSize: 1)
        #expect(try expiry.run(now: world.fixture.now) == 0)

        try world.advance(days: 30)
        #expect(try expiry.run(now: world.fixture.now) == 2, "in batches of one")
        #expect(try expiry.run(now: world.fixture.now) == 0, "once")
        #expect(try world.stored(short).status == .expired && world.stored(long).status == .expired)
        #expect(try world.stored(accepted).status == .accepted && world.stored(requested).status == .requested)

        let events = try world.events([.offerExpired])
        #expect(events.compactMap { $0["data"]?["offer"]?["id"]?.stringValue } == [short, long], "earliest end first")
        #expect(events.map { $0["at"] } == [world.fixture.date(days: -29).licenseTimestamp, world.fixture.date(days: -20).licenseTimestamp])
        #expect(events.allSatisfy { $0["data"]?["cause"] == "schedule" && $0["data"]?["command"] == nil })
        #expect(events.allSatisfy { $0["parties"] == ["co_owner", "co_res"] })
    }
}
