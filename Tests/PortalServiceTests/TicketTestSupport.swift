import Foundation
import PortalCore
import PortalProtocol
@testable import PortalService
import PortalStore
import Testing

/// Someone who sends ticket commands: a company user in a view, or support staff (no view).
struct TicketActor: CustomStringConvertible {
    var token: String
    var view: String?
    var userID: String

    var description: String { view.map { "\($0) user \(userID)" } ?? "staff \(userID)" }
}

/// The world of the ticket tests: co_cust (customer) with Premium, Standard and ended services;
/// co_cust2 (customer) letting co_si manage its licenses, with a Basic service sold by co_res;
/// co_other (customer) with nothing to do with either; support staff and an order team member.
final class TicketWorld {
    let fixture: LicenseFixture
    let customer: TicketActor
    let customer2: TicketActor
    let integrator: TicketActor
    let other: TicketActor
    let reseller: TicketActor
    let support: TicketActor
    let support2: TicketActor
    let order: TicketActor
    /// co_cust: `premium` (service 200 days), `standard` (100 days), `ended` (service ended 10
    /// days ago); co_cust2: `basic` (50 days, sold by co_res); co_other: `foreign`.
    let premium: License
    let standard: License
    let ended: License
    let basic: License
    let foreign: License

    init(tickets: TicketPolicy = TicketPolicy()) throws {
        let fixture = try LicenseFixture(tickets: tickets)
        self.fixture = fixture
        try fixture.addCompany("co_cust", name: "Customer AG", views: [.customer])
        try fixture.addCompany("co_cust2", name: "Second Customer GmbH", views: [.customer])
        try fixture.addCompany("co_si", name: "Integrator GmbH", views: [.systemIntegrator])
        try fixture.addCompany("co_other", name: "Other AG", views: [.customer])
        try fixture.addCompany("co_res", name: "Reseller KG", views: [.reseller])
        try fixture.delegateManagement(of: "co_cust2", to: "co_si")
        try fixture.addProductLine("pl_tp", name: "ThinPrint", products: [(id: "pr_engine", name: "ThinPrint Engine")])
        var random = LicenseSplitMix64(seed: 6)
        func license(_ owner: String, level: String, serviceDays: Double, reseller: String? = nil) -> License {
            var license = fixture.makeLicense(
                product: "pr_engine", owner: owner, reseller: reseller, serviceEnd: fixture.date(days: serviceDays), using: &random)
            license.service?.level = level
            return license
        }
        premium = license("co_cust", level: "Premium", serviceDays: 200)
        standard = license("co_cust", level: "Standard", serviceDays: 100)
        ended = license("co_cust", level: "Premium", serviceDays: -10)
        basic = license("co_cust2", level: "Basic", serviceDays: 50, reseller: "co_res")
        foreign = license("co_other", level: "Premium", serviceDays: 300)
        try fixture.insert([premium, standard, ended, basic, foreign])
        func company(_ id: String, _ view: PortalView) throws -> TicketActor {
            let email = try fixture.addUser(to: id)
            return TicketActor(token: try fixture.login(email), view: view.rawValue, userID: try Self.userID(email, fixture))
        }
        func staff(_ roles: Set<StaffRole>) throws -> TicketActor {
            let email = try fixture.addStaff(roles)
            return TicketActor(token: try fixture.login(email), view: nil, userID: try Self.userID(email, fixture))
        }
        customer = try company("co_cust", .customer)
        customer2 = try company("co_cust2", .customer)
        integrator = try company("co_si", .systemIntegrator)
        other = try company("co_other", .customer)
        reseller = try company("co_res", .reseller)
        support = try staff([.support])
        support2 = try staff([.support])
        order = try staff([.order])
    }

    private static func userID(_ email: String, _ fixture: LicenseFixture) throws -> String {
        try #require(try fixture.store.read { try $0.user(email: email) }?.id)
    }

    // MARK: Requests

    func send(_ command: String, _ actor: TicketActor, idem: String? = nil, _ args: [String: JSONValue] = [:]) throws -> LicenseReply {
        var request = LicenseFixture.request(command, auth: actor.token, view: actor.view, args: args)
        if let idem, case .object(var members) = request {
            members["idem"] = .string(idem)
            request = .object(members)
        }
        return try fixture.send(request)
    }

    /// The result of a reply that must be ok.
    @discardableResult
    func result(
        _ command: String, _ actor: TicketActor, _ args: [String: JSONValue] = [:], sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> JSONValue {
        let reply = try send(command, actor, args)
        try #require(reply.ok, "\(command) by \(actor): \(reply)", sourceLocation: sourceLocation)
        return reply.result
    }

    /// Opens a ticket and returns its id.
    func open(
        _ actor: TicketActor, subject: String = "Printing stops", license: License? = nil, _ more: [String: JSONValue] = [:]
    ) throws -> String {
        var args: [String: JSONValue] = ["subject": .string(subject), "description": "Jobs hang in the queue.", "category": "technical"]
        if let license { args["license"] = .string(license.id) }
        let ticket = try result("ticket.create", actor, args.merging(more) { $1 })["ticket"]
        return try #require(ticket?["id"]?.stringValue)
    }

    func ticket(_ id: String, as actor: TicketActor) throws -> LicenseReply {
        try send("ticket.get", actor, ["ticket": .string(id)])
    }

    /// Sets a ticket's status in the store, as support's moves would have.
    func force(_ id: String, to status: Ticket.Status) throws {
        try fixture.store.write { writer in
            var ticket = try #require(try writer.ticket(id: id, scope: .all))
            ticket.status = status
            try writer.update(ticket)
        }
    }

    /// The stored events of these types, in order.
    func events(_ types: Set<EventType>) throws -> [JSONValue] {
        try fixture.store.read { reader in
            try reader.events(after: 0, through: .max, types: types, company: nil, limit: 1_000)
                .map { try JSONParser.parse(Array($0.body.utf8), maxDepth: 64) }
        }
    }

    let validator = JSONSchemaValidator(protocolFolder: EventCatalogueTests.protocolFolder)

    /// A reply's result checked against its command's result schema.
    func expectConforms(_ reply: LicenseReply, _ command: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let violations = try validator.validate(reply.result, against: "commands/\(command).schema.json#/$defs/result")
        #expect(violations.isEmpty, "\(command): \(violations) in \(reply)", sourceLocation: sourceLocation)
    }
}
