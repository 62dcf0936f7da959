import Foundation
import PortalCore
import PortalProtocol
import Testing

/// How a license looks in `license.list` and `license.get`, and how `license.get` finds it.
@Suite struct LicenseItemTests {
    let fixture: LicenseFixture
    /// A license naming every party, under the ALM model.
    let full: License
    /// The same parties under the service-provider model.
    let provided: License

    static let companies: [(id: String, name: String, view: PortalView)] = [
        ("co_owner", "Owner AG", .customer), ("co_int", "Integrator GmbH", .systemIntegrator),
        ("co_res", "Reseller KG", .reseller), ("co_dist", "Distributor AG", .distributor), ("co_part", "Partner Inc", .partner),
    ]

    init() throws {
        fixture = try LicenseFixture()
        try fixture.addProductLine("pl_tp", name: "ThinPrint", products: [("pr_engine", "ThinPrint Engine")])
        for company in Self.companies {
            let views: Set<PortalView> = company.id == "co_owner" ? [.customer, .serviceProvider] : [company.view]
            try fixture.addCompany(company.id, name: company.name, views: views)
        }
        var random = LicenseSplitMix64(seed: 5)
        full = Self.makeLicense(
            in: fixture, model: .alm, runtimeEnd: fixture.date(days: 100), serviceEnd: fixture.date(days: 10),
            activation: .activated, using: &random)
        provided = Self.makeLicense(
            in: fixture, model: .serviceProvider, runtimeEnd: fixture.date(days: 300), serviceEnd: fixture.date(days: 300),
            using: &random)
        try fixture.insert([full, provided])
    }

    /// A license of the fixture's product owned by `co_owner`, naming every other company in its role.
    static func makeLicense(
        in fixture: LicenseFixture, model: LicenseModel, runtimeEnd: Date? = nil, serviceEnd: Date? = nil,
        activation: ActivationState = .none, destroyedAt: Date? = nil, using random: inout LicenseSplitMix64
    ) -> License {
        fixture.makeLicense(
            product: "pr_engine", owner: "co_owner", model: model, integrator: "co_int", reseller: "co_res",
            distributor: "co_dist", partner: "co_part", runtimeEnd: runtimeEnd, serviceEnd: serviceEnd,
            activation: activation, destroyedAt: destroyedAt, using: &random)
    }

    func customer() throws -> LicenseCaller { try fixture.caller(of: "co_owner", view: .customer) }

    /// The license as `license.get` shows it, less its history and activations (which
    /// `EventCommandsTests` and `ActivationTests` check): the same item `license.list` shows.
    func item(_ license: License, as caller: LicenseCaller) throws -> JSONValue {
        let reply = try fixture.get(caller, license.id)
        try #require(reply.ok, "\(reply)")
        var item = try #require(reply.result.objectValue)
        #expect(item.removeValue(forKey: "history")?.arrayValue != nil)
        item["activations"] = nil
        return .object(item)
    }

    static func party(_ id: String, _ name: String) -> JSONValue { ["id": .string(id), "name": .string(name)] }

    // MARK: Shape

    @Test("the item: product and line names, order, runtime end, service with its state, parties, activation")
    func theWholeItem() throws {
        let caller = try customer()
        let expected: JSONValue = [
            "id": .string(full.id), "key": .string(full.key.text),
            "product": ["id": "pr_engine", "name": "ThinPrint Engine", "line": "ThinPrint"],
            "edition": "Standard", "quantity": 5, "model": "alm", "status": "activated", "colour": "green",
            "order": ["reference": .string(full.orderReference), "position": 1, "date": fixture.date(days: -30).licenseTimestamp],
            "runtime_end": fixture.date(days: 100).licenseTimestamp,
            "service": [
                "level": "Standard", "start": fixture.date(days: -30).licenseTimestamp,
                "end": fixture.date(days: 10).licenseTimestamp, "state": "expiring",
            ],
            "parties": [
                "owner": Self.party("co_owner", "Owner AG"), "integrator": Self.party("co_int", "Integrator GmbH"),
                "reseller": Self.party("co_res", "Reseller KG"),
            ],
            "activation": ["slots": 1, "state": "activated"],
        ]
        #expect(try item(full, as: caller) == expected)
        let listed = try fixture.list(caller, ["filter": ["model": "alm"]])
        #expect(listed.items == [expected], "license.list shows the same item as license.get")
    }

    @Test("a perpetual license without service: runtime_end null, service only {state: none}")
    func perpetualWithoutService() throws {
        var random = LicenseSplitMix64(seed: 6)
        let license = Self.makeLicense(in: fixture, model: .perpetual, using: &random)
        try fixture.insert([license])
        let item = try item(license, as: try customer())
        #expect(item["runtime_end"] == .null)
        #expect(item["service"] == ["state": "none"])
    }

    @Test("status and its traffic-light colour")
    func statusColours() throws {
        var random = LicenseSplitMix64(seed: 7)
        func license(_ model: LicenseModel, runtimeEnd: Date? = nil, _ activation: ActivationState, destroyed: Bool = false) -> License {
            Self.makeLicense(
                in: fixture, model: model, runtimeEnd: runtimeEnd, activation: activation,
                destroyedAt: destroyed ? fixture.date(days: -1) : nil, using: &random)
        }
        let cases: [(License, String, String)] = [
            (license(.perpetual, .none), "not_activated", "yellow"),
            (license(.perpetual, .activated), "activated", "green"),
            (license(.perpetual, .reactivationRequired), "reactivation_required", "yellow"),
            (license(.trial, runtimeEnd: fixture.date(days: -1), .activated), "expired", "red"),
            (license(.perpetual, .activated, destroyed: true), "destroyed", "grey"),
        ]
        try fixture.insert(cases.map(\.0))
        let caller = try customer()
        for (license, status, colour) in cases {
            let item = try item(license, as: caller)
            #expect(item["status"] == .string(status))
            #expect(item["colour"] == .string(colour), "\(status)")
        }
    }

    // MARK: Parties per view

    @Test("each view names only the parties it may know", arguments: [
        ("co_owner", .customer, ["owner", "integrator", "reseller"]),
        ("co_owner", .serviceProvider, ["owner", "integrator", "reseller"]),
        ("co_int", .systemIntegrator, ["owner", "integrator", "reseller"]),
        ("co_res", .reseller, ["owner", "integrator", "reseller", "distributor"]),
        ("co_dist", .distributor, ["owner", "reseller", "distributor"]),
        ("co_part", .partner, ["owner", "reseller", "distributor", "partner"]),
    ] as [(String, PortalView, Set<String>)])
    func partiesPerView(company: String, view: PortalView, roles: Set<String>) throws {
        let license = view == .serviceProvider ? provided : full
        let item = try item(license, as: try fixture.caller(of: company, view: view))
        let parties = try #require(item["parties"]?.objectValue)
        #expect(Set(parties.keys) == roles)
        for company in Self.companies {
            if let shown = parties.first(where: { $0.value["id"] == .string(company.id) }) {
                #expect(shown.value["name"] == .string(company.name), "\(shown.key)")
            }
        }
    }

    @Test(
        "search never matches a party the view does not name",
        arguments: [("co_dist", PortalView.distributor), ("co_part", .partner)])
    func searchStaysWithinTheShownParties(company: String, view: PortalView) throws {
        let caller = try fixture.caller(of: company, view: view)
        #expect(try fixture.listAllIDs(caller).contains(full.id))
        #expect(try fixture.filteredIDs(caller, ["search": "Integrator GmbH"]).isEmpty)
    }

    // MARK: license.get

    @Test("a key is found however it is typed: lower case, without dashes, with spaces")
    func keyAsTyped() throws {
        let caller = try customer()
        let key = full.key.text
        for typed in [key, key.lowercased(), key.replacingOccurrences(of: "-", with: ""), key.replacingOccurrences(of: "-", with: " ")] {
            let reply = try fixture.get(caller, typed)
            #expect(reply.result["id"] == .string(full.id), "\(typed): \(reply)")
        }
    }

    @Test func unknownLicensesAreNotFound() throws {
        let caller = try customer()
        var key = Array(full.key.text)
        key[0] = key[0] == "A" ? "B" : "A"  // the check digit no longer fits
        for handle in ["li_9999", String(key), provided.id, provided.key.text] {
            #expect(try fixture.get(caller, handle).errorCode == "not_found", "\(handle)")
        }
    }

    @Test func aMissingLicenseArgumentIsABadRequest() throws {
        let reply = try fixture.send(LicenseFixture.request("license.get", auth: try customer().token, view: "customer"))
        #expect(reply.errorCode == "bad_request")
        #expect(reply.errorMessage.contains("args.license"), "\(reply)")
    }
}
