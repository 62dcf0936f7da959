import Foundation
import PortalCore
import PortalProtocol
import Testing

/// `license.list`'s filters, on a customer's licenses each made for one case, named by it.
/// Times are relative to the fixture clock ("now").
@Suite struct LicenseFilterTests {
    /// One license of the fixture: what the filters look at.
    struct Spec {
        var name: String
        var model: LicenseModel
        var product: String
        var activation: ActivationState
        var runtimeEnd: Double?
        var serviceEnd: Double?
        var destroyed = false
        var integrator: String?
        var reseller: String?
        var distributor: String?
        var partner: String?
        var owner = "co_owner"
    }

    static let day = 86_400.0
    static let specs: [Spec] = [
        Spec(name: "fresh", model: .perpetual, product: "pr_engine", activation: .none, runtimeEnd: nil, serviceEnd: 60 * day,
             reseller: "co_rhein", distributor: "co_donau", partner: "co_polar"),
        Spec(name: "active", model: .alm, product: "pr_hub", activation: .activated, runtimeEnd: 100 * day, serviceEnd: 10 * day,
             integrator: "co_iris"),
        Spec(name: "reactivate", model: .trial, product: "pr_mobile", activation: .reactivationRequired, runtimeEnd: 20 * day, serviceEnd: nil),
        Spec(name: "ranOut", model: .alm, product: "pr_engine", activation: .activated, runtimeEnd: -day, serviceEnd: -day),
        Spec(name: "endsNow", model: .trial, product: "pr_hub", activation: .none, runtimeEnd: 0, serviceEnd: 0),
        Spec(name: "destroyed", model: .perpetual, product: "pr_engine", activation: .activated, runtimeEnd: nil, serviceEnd: 60 * day,
             destroyed: true),
        Spec(name: "destroyedRanOut", model: .alm, product: "pr_mobile", activation: .none, runtimeEnd: -10 * day,
             serviceEnd: -10 * day, destroyed: true),
        Spec(name: "expiringEdge", model: .free, product: "pr_mobile", activation: .activated, runtimeEnd: nil, serviceEnd: 28 * day),
        Spec(name: "activeEdge", model: .perpetual, product: "pr_hub", activation: .activated, runtimeEnd: nil, serviceEnd: 28 * day + 1),
        Spec(name: "soonRuntime", model: .alm, product: "pr_engine", activation: .none, runtimeEnd: 5 * day, serviceEnd: 200 * day),
        Spec(name: "percent", model: .perpetual, product: "pr_mobile", activation: .activated, runtimeEnd: nil, serviceEnd: 90 * day,
             reseller: "co_percent"),
        // Outside the customer view: the owner's provider-model license and another owner's license.
        Spec(name: "provider", model: .serviceProvider, product: "pr_engine", activation: .none, runtimeEnd: 5 * day,
             serviceEnd: 10 * day, reseller: "co_rhein"),
        Spec(name: "foreign", model: .perpetual, product: "pr_engine", activation: .none, runtimeEnd: 5 * day, serviceEnd: 10 * day,
             integrator: "co_iris", reseller: "co_rhein", owner: "co_other"),
    ]

    static let live: Set<String> = [
        "fresh", "active", "reactivate", "ranOut", "endsNow", "expiringEdge", "activeEdge", "soonRuntime", "percent",
    ]

    let fixture: LicenseFixture
    let caller: LicenseCaller
    /// License id → spec name, and spec name → license.
    let names: [String: String]
    let licenses: [String: License]

    init() throws {
        fixture = try LicenseFixture()
        try fixture.addProductLine("pl_tp", name: "ThinPrint", products: [("pr_engine", "Engine"), ("pr_hub", "Hub")])
        try fixture.addProductLine("pl_pp", name: "Personal Printing", products: [("pr_mobile", "Mobile")])
        for (id, name) in [
            ("co_owner", "Acme Owner AG"), ("co_other", "Other Customer SA"), ("co_iris", "Iris Integration GmbH"),
            ("co_rhein", "Rhein Reseller KG"), ("co_donau", "Donau Distribution AG"), ("co_polar", "Polar Partner Inc"),
            ("co_percent", "100% Print_Shop"),
        ] {
            try fixture.addCompany(id, name: name, views: [.customer])
        }
        var random = LicenseSplitMix64(seed: 3)
        var licenses: [String: License] = [:]
        for spec in Self.specs {
            licenses[spec.name] = fixture.makeLicense(
                product: spec.product, owner: spec.owner, model: spec.model, integrator: spec.integrator,
                reseller: spec.reseller, distributor: spec.distributor, partner: spec.partner,
                runtimeEnd: spec.runtimeEnd.map(fixture.now.addingTimeInterval),
                serviceEnd: spec.serviceEnd.map(fixture.now.addingTimeInterval), activation: spec.activation,
                destroyedAt: spec.destroyed ? fixture.date(days: -2) : nil, using: &random)
        }
        try fixture.insert(Array(licenses.values))
        self.licenses = licenses
        names = Dictionary(uniqueKeysWithValues: licenses.map { ($1.id, $0) })
        caller = try fixture.caller(of: "co_owner", view: .customer)
    }

    /// The names of the licenses `filter` shows to `caller` (the fixture's customer by default).
    func shown(_ filter: [String: JSONValue], as caller: LicenseCaller? = nil) throws -> Set<String> {
        Set(try fixture.filteredIDs(caller ?? self.caller, filter).map { names[$0] ?? $0 })
    }

    func timestamp(days: Double, seconds: Double = 0) -> JSONValue { fixture.date(days: days, seconds: seconds).licenseTimestamp }

    // MARK: Status

    @Test func withoutAStatusFilterEverythingButDestroyedIsShown() throws {
        #expect(try shown([:]) == Self.live)
    }

    @Test("each status, computed at the clock's time", arguments: [
        ("not_activated", ["fresh", "soonRuntime"]),
        ("activated", ["active", "expiringEdge", "activeEdge", "percent"]),
        ("reactivation_required", ["reactivate"]),
        ("expired", ["ranOut", "endsNow"]),
        ("destroyed", ["destroyed", "destroyedRanOut"]),
    ] as [(String, Set<String>)])
    func status(_ status: String, expected: Set<String>) throws {
        #expect(try shown(["status": .string(status)]) == expected)
        #expect(try shown(["status": [.string(status)]]) == expected)
    }

    @Test func severalStatusesAreAnyOf() throws {
        #expect(try shown(["status": ["expired", "destroyed"]]) == ["ranOut", "endsNow", "destroyed", "destroyedRanOut"])
    }

    @Test("a status filter follows the clock")
    func statusFollowsTheClock() throws {
        fixture.advance(days: 10)
        let later = try fixture.caller(of: "co_owner", view: .customer)
        #expect(try shown(["status": "expired"], as: later) == ["ranOut", "endsNow", "soonRuntime"])
        #expect(try shown(["status": "not_activated"], as: later) == ["fresh"])
    }

    // MARK: Service state

    @Test("each service state (expiring: 28 days or less)", arguments: [
        ("active", ["fresh", "activeEdge", "soonRuntime", "percent"]),
        ("expiring", ["active", "expiringEdge"]),
        ("expired", ["ranOut", "endsNow"]),
        ("none", ["reactivate"]),
    ] as [(String, Set<String>)])
    func serviceState(_ state: String, expected: Set<String>) throws {
        #expect(try shown(["service_state": .string(state)]) == expected)
    }

    @Test("service states follow the clock")
    func serviceStatesFollowTheClock() throws {
        fixture.advance(days: 10)
        let later = try fixture.caller(of: "co_owner", view: .customer)
        #expect(try shown(["service_state": "active"], as: later) == ["fresh", "soonRuntime", "percent"])
        #expect(try shown(["service_state": "expiring"], as: later) == ["expiringEdge", "activeEdge"])
        #expect(try shown(["service_state": "expired"], as: later) == ["active", "ranOut", "endsNow"])
        #expect(try shown(["service_state": ["none", "expiring"]], as: later) == ["reactivate", "expiringEdge", "activeEdge"])
    }

    // MARK: Model, product, product line

    @Test func model() throws {
        #expect(try shown(["model": "trial"]) == ["reactivate", "endsNow"])
        #expect(try shown(["model": ["alm", "free"]]) == ["active", "ranOut", "soonRuntime", "expiringEdge"])
        #expect(try shown(["model": "service_provider"]).isEmpty, "the customer view has no provider-model licenses")
    }

    @Test func productAndProductLine() throws {
        #expect(try shown(["product": "pr_engine"]) == ["fresh", "ranOut", "soonRuntime"])
        #expect(try shown(["product": ["pr_hub", "pr_mobile"]]) == Self.live.subtracting(["fresh", "ranOut", "soonRuntime"]))
        #expect(try shown(["product": "pr_unknown"]).isEmpty)
        #expect(try shown(["product_line": "pl_pp"]) == ["reactivate", "expiringEdge", "percent"])
        #expect(try shown(["product_line": ["pl_tp", "pl_pp"]]) == Self.live)
    }

    // MARK: Dates

    @Test("service end range, both ends inclusive")
    func serviceEndRange() throws {
        #expect(try shown(["service_end_from": timestamp(days: -1), "service_end_to": timestamp(days: 10)])
            == ["ranOut", "endsNow", "active"])
        #expect(try shown(["service_end_from": timestamp(days: 28)])
            == ["expiringEdge", "activeEdge", "fresh", "percent", "soonRuntime"])
        #expect(try shown(["service_end_to": timestamp(days: 0, seconds: -1)]) == ["ranOut"])
        #expect(try shown(["service_end_from": timestamp(days: 300)]).isEmpty)
    }

    @Test("expiring within N days: the runtime or the service ends after now and at most N days later", arguments: [
        (0, []),
        (7, ["soonRuntime"]),
        (10, ["soonRuntime", "active"]),
        (28, ["soonRuntime", "active", "reactivate", "expiringEdge"]),
    ] as [(Int, Set<String>)])
    func expiringWithin(days: Int, expected: Set<String>) throws {
        #expect(try shown(["expiring_within_days": .int(Int64(days))]) == expected)
    }

    // MARK: Search

    @Test("search finds key, order reference, owner, integrator and reseller, ignoring case")
    func searchFindsTheSearchableFields() throws {
        let active = try #require(licenses["active"])
        let keyPart = String(active.key.text.lowercased().dropFirst(3).prefix(8))  // spans a dash
        #expect(try shown(["search": .string(keyPart)]) == ["active"])
        #expect(try shown(["search": .string(active.orderReference.lowercased())]) == ["active"])
        #expect(try shown(["search": "ACME owner"]) == Self.live)
        #expect(try shown(["search": "iris integration"]) == ["active"])
        #expect(try shown(["search": "RHEIN"]) == ["fresh"])
    }

    @Test("search ignores distributor and partner names")
    func searchIgnoresDistributorAndPartner() throws {
        #expect(try shown(["search": "Donau"]).isEmpty)
        #expect(try shown(["search": "Polar Partner"]).isEmpty)
    }

    @Test("% and _ in a search are plain characters")
    func searchWildcardsAreLiteral() throws {
        #expect(try shown(["search": "%"]) == ["percent"])
        #expect(try shown(["search": "0%"]) == ["percent"], "as a wildcard, 0% would match every SO-0… reference")
        #expect(try shown(["search": "print_shop"]) == ["percent"])
        #expect(try shown(["search": "o_0"]).isEmpty, "as a wildcard, _ would match the dash of SO-0…")
        #expect(try shown(["search": "\\"]).isEmpty)
    }

    @Test("search ignores case beyond ASCII in stored names")
    func searchIgnoresCaseBeyondASCII() throws {
        try fixture.addCompany("co_oeko", name: "ÖKO Print GmbH", views: [.customer])
        var random = LicenseSplitMix64(seed: 11)
        let license = fixture.makeLicense(product: "pr_hub", owner: "co_owner", reseller: "co_oeko", using: &random)
        try fixture.insert([license])
        #expect(try fixture.filteredIDs(caller, ["search": "ÖKO"]) == [license.id])
        #expect(try fixture.filteredIDs(caller, ["search": "öko print"]) == [license.id])
    }

    // MARK: Combinations

    @Test func filtersCombineWithAnd() throws {
        #expect(try shown(["status": "activated", "service_state": "expiring"]) == ["active", "expiringEdge"])
        #expect(try shown(["model": "alm", "product": "pr_engine"]) == ["ranOut", "soonRuntime"])
        #expect(try shown(["search": "acme", "status": "destroyed"]) == ["destroyed", "destroyedRanOut"])
        #expect(try shown(["product_line": "pl_tp", "expiring_within_days": 10]) == ["soonRuntime", "active"])
        #expect(try shown(["status": "expired", "model": "trial", "service_end_to": timestamp(days: 0)]) == ["endsNow"])
    }

    // MARK: Invalid arguments

    @Test("an invalid filter value is a bad request naming it", arguments: [
        ("status", "lost"), ("status", ["activated", 3]), ("service_state", "soon"), ("model", "rental"),
        ("product", 5), ("product_line", true), ("service_end_from", "yesterday"), ("service_end_to", "2026-11-29"),
        ("expiring_within_days", -1), ("expiring_within_days", 3_651), ("expiring_within_days", "7"),
        ("search", ""), ("search", "   "), ("search", .string(String(repeating: "x", count: 201))),
        ("product", .array((0...100).map { .string("pr_\($0)") })), ("product_line", .string(String(repeating: "x", count: 101))),
    ] as [(String, JSONValue)])
    func invalidFilter(name: String, value: JSONValue) throws {
        let reply = try fixture.list(caller, ["filter": .object([name: value])])
        #expect(reply.errorCode == "bad_request", "\(reply)")
        #expect(reply.errorMessage.contains("args.filter.\(name)"), "\(reply)")
    }

    @Test("an invalid top-level argument is a bad request naming it", arguments: [
        ("filter", "status"), ("sort", "price"), ("order", "up"), ("limit", 0), ("limit", 501), ("limit", "10"),
        ("cursor", 5),
    ] as [(String, JSONValue)])
    func invalidArgument(name: String, value: JSONValue) throws {
        let reply = try fixture.list(caller, [name: value])
        #expect(reply.errorCode == "bad_request", "\(reply)")
        #expect(reply.errorMessage.contains("args.\(name)"), "\(reply)")
    }

    @Test func limitsAtTheEdgesAreAccepted() throws {
        #expect(try fixture.list(caller, ["limit": 1]).items.count == 1)
        #expect(try fixture.list(caller, ["limit": 500]).items.count == Self.live.count)
    }
}
