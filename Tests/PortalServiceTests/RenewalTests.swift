import Foundation
import PortalCore
import PortalProtocol
@testable import PortalService
import Testing

/// `license.renew`: runtime and service continue from their previous ends (early renewals lose
/// nothing, late ones are back-dated), for all the licenses named or none, with their events.
@Suite struct RenewalTests {
    let fixture: LicenseFixture
    let staff: String
    var random = LicenseSplitMix64(seed: 11)

    init() throws {
        fixture = try LicenseFixture.withCustomerAndReseller()
        staff = try fixture.login(try fixture.addStaff())
    }

    private mutating func add(
        model: LicenseModel, runtimeEnd: Date?, serviceEnd: Date?, activation: ActivationState = .none, destroyedAt: Date? = nil
    ) throws -> License {
        let license = fixture.makeLicense(
            product: "pr_engine", owner: "co_owner", model: model, reseller: "co_res", runtimeEnd: runtimeEnd,
            serviceEnd: serviceEnd, activation: activation, destroyedAt: destroyedAt, using: &random)
        try fixture.insert([license])
        return license
    }

    private func renew(_ licenses: [String], years: JSONValue = 1) throws -> LicenseReply {
        try fixture.send(LicenseFixture.request(
            "license.renew", auth: staff, args: ["licenses": licenses.licenseJSON, "years": years, "order_reference": "SO-2026-004711"]))
    }

    private func stored(_ id: String) throws -> License {
        try #require(try fixture.store.read { try $0.license(id: id) })
    }

    private func events(_ types: Set<EventType> = [.licenseRenewed, .licenseStatus, .licenseService, .licenseExpiring]) throws -> [JSONValue] {
        try fixture.store.read { reader in
            try reader.events(after: 0, through: .max, types: types, company: nil, limit: 1_000)
                .map { try JSONParser.parse(Array($0.body.utf8), maxDepth: 64) }
        }
    }

    private static func year(after date: Date, _ years: Int = 1) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(byAdding: .year, value: years, to: date)!
    }

    /// Each event as `type from→to` (or the type alone), for comparing sequences.
    private static func summary(_ events: [JSONValue]) -> [String] {
        events.map { event in
            let type = event["type"]?.stringValue ?? "?"
            guard let from = event["data"]?["from"]?.stringValue, let to = event["data"]?["to"]?.stringValue else { return type }
            return "\(type) \(from)→\(to)"
        }
    }

    @Test mutating func anEarlyRenewalContinuesFromTheOldEnds() throws {
        let license = try add(model: .alm, runtimeEnd: fixture.date(days: 100), serviceEnd: fixture.date(days: 90), activation: .activated)
        let reply = try renew([license.id])
        #expect(reply.ok, "\(reply)")
        let renewed = try stored(license.id)
        #expect(renewed.runtimeEnd == Self.year(after: fixture.date(days: 100)))
        #expect(renewed.service?.end == Self.year(after: fixture.date(days: 90)))
        #expect(renewed.service?.start == license.service?.start && renewed.service?.level == "Standard")
        let item = try #require(reply.result["licenses"]?.arrayValue?.first)
        #expect(item["runtime_end"]?["from"] == fixture.date(days: 100).licenseTimestamp)
        #expect(item["runtime_end"]?["to"] == Self.year(after: fixture.date(days: 100)).licenseTimestamp)
        #expect(item["status"] == "activated" && item["service"]?["state"] == "active")

        let events = try events()
        #expect(Self.summary(events) == ["license.renewed"], "nothing else changed")
        let data = try #require(events.first?["data"])
        #expect(data["cause"] == "command" && data["command"] == "license.renew" && data["by"] != nil)
        #expect(data["years"] == 1 && data["order_reference"] == "SO-2026-004711" && data["offer"] == .null, "renewals from offers: OfferRenewalTests")
        #expect(data["service_end"]?["from"] == fixture.date(days: 90).licenseTimestamp)
        #expect(data["service_end"]?["to"] == Self.year(after: fixture.date(days: 90)).licenseTimestamp)
        #expect(events.first?["parties"] == ["co_owner", "co_res"])
    }

    @Test mutating func aLateRenewalIsBackDatedToTheOldEnd() throws {
        let license = try add(model: .alm, runtimeEnd: fixture.date(days: -20), serviceEnd: fixture.date(days: -20))
        #expect(license.status(at: fixture.now) == .expired)
        let reply = try renew([license.id], years: 2)
        #expect(reply.ok, "\(reply)")
        let renewed = try stored(license.id)
        // From the old end, not from today: the lapsed 20 days count as renewed.
        #expect(renewed.runtimeEnd == Self.year(after: fixture.date(days: -20), 2))
        #expect(renewed.service?.end == Self.year(after: fixture.date(days: -20), 2))
        #expect(Self.summary(try events()) == [
            "license.renewed", "license.status expired→not_activated", "license.service expired→active",
        ])
    }

    @Test mutating func aRenewalTooShortToReachTodayLeavesTheLicenseExpired() throws {
        let license = try add(model: .alm, runtimeEnd: fixture.date(days: -400), serviceEnd: fixture.date(days: -400))
        #expect(try renew([license.id]).ok)
        let renewed = try stored(license.id)
        #expect(renewed.runtimeEnd == Self.year(after: fixture.date(days: -400)))
        #expect(renewed.status(at: fixture.now) == .expired)
        #expect(Self.summary(try events()) == ["license.renewed"])
    }

    @Test mutating func aRenewalIntoTheLastWeeksOfServiceSaysItIsExpiring() throws {
        // One calendar year before "in ten days" (no 29 February in between).
        let license = try add(model: .perpetual, runtimeEnd: nil, serviceEnd: fixture.date(days: -355))
        #expect(try renew([license.id]).ok)
        let events = try events()
        #expect(Self.summary(events) == ["license.renewed", "license.service expired→expiring", "license.expiring"])
        #expect(events.last?["data"]?["days_left"] == 10)
        #expect(events.last?["data"]?["cause"] == "command")
    }

    @Test mutating func aPerpetualRuntimeStaysPerpetualAndOnlyTheServiceExtends() throws {
        let license = try add(model: .perpetual, runtimeEnd: nil, serviceEnd: fixture.date(days: 10), activation: .activated)
        let reply = try renew([license.id], years: 3)
        #expect(reply.ok, "\(reply)")
        let renewed = try stored(license.id)
        #expect(renewed.runtimeEnd == nil)
        #expect(renewed.service?.end == Self.year(after: fixture.date(days: 10), 3))
        let events = try events()
        #expect(Self.summary(events) == ["license.renewed", "license.service expiring→active"])
        #expect(events.first?["data"]?["runtime_end"] == ["from": nil, "to": nil])
    }

    @Test mutating func aLicenseWithoutServiceGetsOneFromTheRenewal() throws {
        let license = try add(model: .perpetual, runtimeEnd: nil, serviceEnd: nil)
        #expect(try renew([license.id]).ok)
        let renewed = try stored(license.id)
        #expect(renewed.service == License.Service(level: "Standard", start: fixture.now, end: Self.year(after: fixture.now)))
        let events = try events()
        #expect(Self.summary(events) == ["license.renewed", "license.service none→active"])
        #expect(events.first?["data"]?["service_end"]?["from"] == .null)

        let customer = try fixture.caller(of: "co_owner", view: .customer)
        let shown = try fixture.get(customer, license.key.text)
        #expect(shown.result["service"]?["end"] == Self.year(after: fixture.now).licenseTimestamp)
    }

    @Test mutating func licensesAreNamedByIdOrKey() throws {
        let first = try add(model: .alm, runtimeEnd: fixture.date(days: 30), serviceEnd: fixture.date(days: 30))
        let second = try add(model: .alm, runtimeEnd: fixture.date(days: 60), serviceEnd: fixture.date(days: 60))
        let reply = try renew([first.id, second.key.text.lowercased()])
        #expect(reply.ok, "\(reply)")
        #expect(reply.result["licenses"]?.arrayValue?.map { $0["id"] } == [.string(first.id), .string(second.id)])
        #expect(try stored(second.id).runtimeEnd == Self.year(after: fixture.date(days: 60)))
    }

    @Test mutating func aDestroyedLicenseRefusesTheWholeRenewal() throws {
        let fine = try add(model: .alm, runtimeEnd: fixture.date(days: 30), serviceEnd: fixture.date(days: 30))
        let gone = try add(model: .alm, runtimeEnd: fixture.date(days: 30), serviceEnd: fixture.date(days: 30), destroyedAt: fixture.date(days: -1))
        let reply = try renew([fine.id, gone.key.text])
        #expect(reply.errorCode == "conflict", "\(reply)")
        #expect(reply.value["error"]?["details"]?["licenses"] == [.string(gone.id)])
        #expect(reply.errorMessage.contains(gone.id))
        #expect(try stored(fine.id) == fine, "all or nothing")
        #expect(try events().isEmpty)
    }

    @Test mutating func anUnknownLicenseRefusesTheWholeRenewal() throws {
        let fine = try add(model: .alm, runtimeEnd: fixture.date(days: 30), serviceEnd: fixture.date(days: 30))
        let reply = try renew([fine.id, "li_nope"])
        #expect(reply.errorCode == "not_found", "\(reply)")
        #expect(reply.value["error"]?["details"]?["license"] == "li_nope")
        #expect(try stored(fine.id) == fine)
        #expect(try events().isEmpty)
    }

    @Test mutating func argumentsAreChecked() throws {
        let license = try add(model: .alm, runtimeEnd: fixture.date(days: 30), serviceEnd: fixture.date(days: 30))
        #expect(try renew([license.id], years: 0).errorCode == "bad_request")
        #expect(try renew([license.id], years: 6).errorCode == "bad_request")
        #expect(try renew([license.id], years: .null).errorCode == "bad_request")
        #expect(try renew([]).errorCode == "bad_request")
        #expect(try renew([license.id, license.key.text]).errorCode == "bad_request", "the same license twice")
        let noOrder = try fixture.send(LicenseFixture.request(
            "license.renew", auth: staff, args: ["licenses": [.string(license.id)], "years": 1]))
        #expect(noOrder.errorCode == "bad_request")
        #expect(try stored(license.id) == license)
    }

    @Test mutating func companyUsersCannotRenew() throws {
        let license = try add(model: .alm, runtimeEnd: fixture.date(days: 30), serviceEnd: fixture.date(days: 30))
        let customer = try fixture.caller(of: "co_owner", view: .customer)
        let reply = try fixture.send(LicenseFixture.request(
            "license.renew", auth: customer.token, view: customer.view,
            args: ["licenses": [.string(license.id)], "years": 1, "order_reference": "SO-1"]))
        #expect(reply.errorCode == "forbidden", "\(reply)")
    }

    @Test mutating func theEventsConformToTheirSchemas() throws {
        let expired = try add(model: .alm, runtimeEnd: fixture.date(days: -5), serviceEnd: fixture.date(days: -5), activation: .activated)
        let bare = try add(model: .perpetual, runtimeEnd: nil, serviceEnd: nil)
        let soon = try add(model: .perpetual, runtimeEnd: nil, serviceEnd: fixture.date(days: -355))
        let validator = JSONSchemaValidator(protocolFolder: EventCatalogueTests.protocolFolder)
        for reply in [try renew([expired.id, bare.id, soon.id]), try renew([bare.id])] {
            #expect(reply.ok, "\(reply)")
            #expect(try validator.validate(reply.result, against: "commands/license.renew.schema.json#/$defs/result") == [], "\(reply)")
        }
        let all = try EventCatalogueTests.storedEvents(fixture.store, validator: validator)
        #expect(Set(all.compactMap { $0["type"]?.stringValue })
            == ["license.renewed", "license.status", "license.service", "license.expiring"])
    }
}
