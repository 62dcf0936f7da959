import Foundation
import PortalCore
import PortalProtocol
@testable import PortalService
import Testing

/// The world of the service offer tests: a customer (`co_owner`) with licenses sold by a
/// reseller (`co_res`, also a customer) through a distributor (`co_dist`), by the distributor
/// alone, and direct by the vendor; another customer (`co_other`); the order team and support.
final class OfferWorld {
    /// Who sends a request: a company user in a view, or staff (no view).
    struct Party: CustomStringConvertible {
        var email: String
        var token: String
        var view: String?

        var description: String { view.map { "\($0) caller" } ?? "staff" }
    }

    let fixture: LicenseFixture
    /// Two licenses of co_owner sold by co_res through co_dist.
    let resold: [License]
    /// Supplied by co_dist without a reseller.
    let distributed: License
    /// Bought direct from the vendor.
    let direct: License
    let destroyed: License
    /// co_other's, sold by co_res.
    let foreign: License

    // Logged in again when time moves (`advance`): sessions end after 30 idle minutes.
    private(set) var owner: Party
    private(set) var reseller: Party
    /// co_res in its customer view: the same company, another view.
    private(set) var resellerAsCustomer: Party
    private(set) var distributor: Party
    private(set) var other: Party
    private(set) var order: Party
    private(set) var support: Party

    let validator = JSONSchemaValidator(protocolFolder: EventCatalogueTests.protocolFolder)

    init() throws {
        let fixture = try LicenseFixture()
        self.fixture = fixture
        try fixture.addCompany("co_owner", views: [.customer])
        try fixture.addCompany("co_res", views: [.reseller, .customer])
        try fixture.addCompany("co_dist", views: [.distributor])
        try fixture.addCompany("co_other", views: [.customer])
        try fixture.addProductLine("pl_tp", name: "ThinPrint", products: [(id: "pr_engine", name: "ThinPrint Engine")])
        var random = LicenseSplitMix64(seed: 31)
        let serviceEnd = fixture.date(days: 100)
        resold = (0..<2).map { _ in
            fixture.makeLicense(
                product: "pr_engine", owner: "co_owner", reseller: "co_res", distributor: "co_dist", serviceEnd: serviceEnd,
                using: &random)
        }
        distributed = fixture.makeLicense(product: "pr_engine", owner: "co_owner", distributor: "co_dist", serviceEnd: serviceEnd, using: &random)
        direct = fixture.makeLicense(product: "pr_engine", owner: "co_owner", serviceEnd: serviceEnd, using: &random)
        destroyed = fixture.makeLicense(
            product: "pr_engine", owner: "co_owner", reseller: "co_res", serviceEnd: serviceEnd, destroyedAt: fixture.date(days: -3),
            using: &random)
        foreign = fixture.makeLicense(product: "pr_engine", owner: "co_other", reseller: "co_res", serviceEnd: serviceEnd, using: &random)
        try fixture.insert(resold + [distributed, direct, destroyed, foreign])
        func party(_ company: String?, _ view: PortalView? = nil, staff roles: Set<StaffRole> = []) throws -> Party {
            let email = try company.map(fixture.addUser(to:)) ?? fixture.addStaff(roles)
            return Party(email: email, token: try fixture.login(email), view: view?.rawValue)
        }
        owner = try party("co_owner", .customer)
        reseller = try party("co_res", .reseller)
        resellerAsCustomer = try party("co_res", .customer)
        distributor = try party("co_dist", .distributor)
        other = try party("co_other", .customer)
        order = try party(nil, staff: [.order])
        support = try party(nil, staff: [.support])
    }

    /// Moves the clock on and logs everybody in again.
    func advance(days: Double) throws {
        fixture.advance(days: days)
        for party in [\OfferWorld.owner, \.reseller, \.resellerAsCustomer, \.distributor, \.other, \.order, \.support] {
            self[keyPath: party].token = try fixture.login(self[keyPath: party].email)
        }
    }

    // MARK: Requests

    func send(_ command: String, as party: Party, idem: String? = nil, _ args: [String: JSONValue] = [:]) throws -> LicenseReply {
        try fixture.send(LicenseFixture.request(command, auth: party.token, view: party.view, idem: idem, args: args))
    }

    func request(_ licenses: [License], as party: Party? = nil, years: JSONValue? = nil, message: String? = nil) throws -> LicenseReply {
        var args: [String: JSONValue] = ["licenses": licenses.map(\.id).licenseJSON]
        if let years { args["extension_years"] = years }
        if let message { args["message"] = .string(message) }
        return try send("offer.request", as: party ?? owner, args)
    }

    func quote(
        _ offer: String, as party: Party, price: String = "1250.00", currency: String = "EUR", validDays: Double = 30,
        note: String? = nil
    ) throws -> LicenseReply {
        var args: [String: JSONValue] = [
            "offer": .string(offer), "price": .string(price), "currency": .string(currency),
            "valid_until": fixture.date(days: validDays).licenseTimestamp,
        ]
        if let note { args["note"] = .string(note) }
        return try send("offer.quote", as: party, args)
    }

    func get(_ offer: String, as party: Party) throws -> LicenseReply {
        try send("offer.get", as: party, ["offer": .string(offer)])
    }

    // MARK: Offers in each status

    /// A new offer of the owner for `licenses`, which must all have one seller; its id.
    func requested(_ licenses: [License], years: Int = 1) throws -> String {
        let reply = try request(licenses, years: .int(Int64(years)))
        let offers = try #require(reply.result["offers"]?.arrayValue, "\(reply)")
        try #require(offers.count == 1, "one seller expected: \(reply)")
        return try #require(offers[0]["id"]?.stringValue)
    }

    /// An offer for the resold licenses, quoted by the reseller; its id.
    func quoted(_ licenses: [License]? = nil, years: Int = 1, validDays: Double = 30) throws -> String {
        let offer = try requested(licenses ?? resold, years: years)
        let reply = try quote(offer, as: reseller, validDays: validDays)
        try #require(reply.ok, "\(reply)")
        return offer
    }

    func accepted(_ licenses: [License]? = nil, years: Int = 1) throws -> String {
        let offer = try quoted(licenses, years: years)
        let reply = try send("offer.accept", as: owner, ["offer": .string(offer)])
        try #require(reply.ok, "\(reply)")
        return offer
    }

    func declined() throws -> String {
        let offer = try quoted()
        let reply = try send("offer.decline", as: owner, ["offer": .string(offer), "reason": "too expensive"])
        try #require(reply.ok, "\(reply)")
        return offer
    }

    /// The offer as stored.
    func stored(_ id: String) throws -> Offer {
        try #require(try fixture.store.read { try $0.offer(id: id) })
    }

    // MARK: Checks

    /// The stored events of `types`, in order, each checked against its schema.
    func events(_ types: Set<EventType>) throws -> [JSONValue] {
        try EventCatalogueTests.storedEvents(fixture.store, validator: validator)
            .filter { event in types.contains { $0.rawValue == event["type"]?.stringValue } }
    }

    /// The violations of a reply's result against its command's result schema.
    func violations(_ reply: LicenseReply, of command: String) throws -> [JSONSchemaValidator.Violation] {
        try validator.validate(reply.result, against: "commands/\(command).schema.json#/$defs/result")
    }
}
