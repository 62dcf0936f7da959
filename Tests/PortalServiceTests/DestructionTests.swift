import Foundation
import PortalCore
import PortalProtocol
@testable import PortalService
import PortalStore
import Testing

/// `license.destroy` and `license.destructions`: all or nothing, the confirmation word, the view
/// matrix, what a destroyed license looks like afterwards, the events and the records.
@Suite struct DestructionTests {
    let fixture: LicenseFixture
    let customer: LicenseCaller
    /// Three licenses of co_owner (sold by co_chan, managed by co_si), one of co_other, one of
    /// co_owner destroyed before, one provider license of co_sp.
    let owned: [License]
    let foreign: License
    let destroyedBefore: License
    let provider: License

    init() throws {
        let fixture = try LicenseFixture()
        self.fixture = fixture
        try fixture.addCompany("co_owner", views: [.customer])
        try fixture.addCompany("co_other", views: [.customer])
        try fixture.addCompany("co_chan", views: [.reseller, .distributor, .partner])
        try fixture.addCompany("co_si", views: [.systemIntegrator])
        try fixture.addCompany("co_sp", views: [.serviceProvider])
        try fixture.delegateManagement(of: "co_owner", to: "co_si")
        try fixture.addProductLine("pl_tp", name: "ThinPrint", products: [(id: "pr_engine", name: "ThinPrint Engine")])
        var random = LicenseSplitMix64(seed: 21)
        owned = (0..<3).map { _ in
            fixture.makeLicense(
                product: "pr_engine", owner: "co_owner", reseller: "co_chan", distributor: "co_chan", partner: "co_chan",
                serviceEnd: fixture.date(days: 200), using: &random)
        }
        foreign = fixture.makeLicense(product: "pr_engine", owner: "co_other", using: &random)
        destroyedBefore = fixture.makeLicense(product: "pr_engine", owner: "co_owner", destroyedAt: fixture.date(days: -3), using: &random)
        provider = fixture.makeLicense(
            product: "pr_engine", owner: "co_sp", model: .serviceProvider, runtimeEnd: fixture.date(days: 300), using: &random)
        try fixture.insert(owned + [foreign, destroyedBefore, provider])
        customer = try fixture.caller(of: "co_owner", view: .customer)
    }

    // MARK: Helpers

    private func destroy(
        _ licenses: [String], as caller: LicenseCaller? = nil, confirm: JSONValue? = "Accept", comment: String? = nil,
        idem: String? = nil
    ) throws -> LicenseReply {
        let caller = caller ?? customer
        var args: [String: JSONValue] = ["licenses": licenses.licenseJSON]
        if let confirm { args["confirm"] = confirm }
        if let comment { args["comment"] = .string(comment) }
        var request = LicenseFixture.request("license.destroy", auth: caller.token, view: caller.view, args: args)
        if let idem, case .object(var members) = request {
            members["idem"] = .string(idem)
            request = .object(members)
        }
        return try fixture.send(request)
    }

    private func destructions(_ caller: LicenseCaller? = nil, _ args: [String: JSONValue] = [:]) throws -> LicenseReply {
        let caller = caller ?? customer
        return try fixture.send(LicenseFixture.request("license.destructions", auth: caller.token, view: caller.view, args: args))
    }

    private func events(_ type: EventType) throws -> [JSONValue] {
        try fixture.store.read { reader in
            try reader.events(after: 0, through: .max, types: [type], company: nil, limit: 1_000)
                .map { try JSONParser.parse(Array($0.body.utf8), maxDepth: 64) }
        }
    }

    private func status(_ license: License, as caller: LicenseCaller? = nil) throws -> JSONValue? {
        try fixture.get(caller ?? customer, license.id).result["status"]
    }

    /// Nothing was destroyed: the licenses keep their status, no record, no event.
    private func expectNothingChanged(_ comment: Comment? = nil) throws {
        for license in owned { #expect(try status(license) == "not_activated", comment) }
        #expect(try destructions().items.isEmpty, comment)
        #expect(try events(.licenseDestroyed).isEmpty, comment)
        #expect(try events(.licenseStatus).isEmpty, comment)
    }

    // MARK: Destroying

    @Test func destroyedLicensesLeaveARecordAndTheDefaultListing() throws {
        fixture.clock.advance(by: 600)  // within the session's idle time
        let reply = try destroy([owned[0].id, owned[1].key.text.lowercased()], comment: "print server decommissioned")
        let destruction = try #require(reply.result["destruction"], "\(reply)")
        #expect(destruction["id"]?.stringValue?.hasPrefix("de_") == true)
        #expect(destruction["destroyed_at"] == fixture.now.licenseTimestamp)
        #expect(destruction["destroyed_by"] == "us_1")
        #expect(destruction["comment"] == "print server decommissioned")
        #expect(destruction["licenses"] == [
            ["id": .string(owned[0].id), "key": .string(owned[0].key.text)],
            ["id": .string(owned[1].id), "key": .string(owned[1].key.text)],
        ])

        #expect(try fixture.listAllIDs(customer) == [owned[2].id], "gone from the default listing")
        #expect(try fixture.filteredIDs(customer, ["status": "destroyed"]) == [owned[0].id, owned[1].id, destroyedBefore.id])
        let got = try fixture.get(customer, owned[1].key.text)
        #expect(got.result["status"] == "destroyed" && got.result["colour"] == "grey", "license.get still finds it")
        #expect(got.result["history"]?.arrayValue?.compactMap { $0["type"]?.stringValue } == ["license.destroyed", "license.status"])

        let destroyed = try events(.licenseDestroyed)
        #expect(destroyed.map { $0["data"]?["license"]?["id"] } == [.string(owned[0].id), .string(owned[1].id)], "once per license")
        #expect(destroyed.first?["data"]?["destruction"] == ["id": destruction["id"]!, "comment": "print server decommissioned"])
        #expect(destroyed.first?["data"]?["command"] == "license.destroy" && destroyed.first?["data"]?["by"] == "us_1")
        #expect(destroyed.first?["parties"] == ["co_chan", "co_owner", "co_si"])
        let status = try events(.licenseStatus)
        #expect(status.map { [$0["data"]?["from"], $0["data"]?["to"]] } == [["not_activated", "destroyed"], ["not_activated", "destroyed"]])
        // Every event conforms to its schema.
        let all = try EventCatalogueTests.storedEvents(
            fixture.store, validator: JSONSchemaValidator(protocolFolder: EventCatalogueTests.protocolFolder))
        #expect(all.count == 4)
    }

    @Test func anInvisibleLicenseDestroysNothingAndIsNamed() throws {
        for stranger in [foreign.id, foreign.key.text, provider.id, "li_missing"] {
            let reply = try destroy([owned[0].id, stranger, owned[1].id])
            #expect(reply.errorCode == "not_found", "\(stranger): \(reply)")
            #expect(reply.errorMessage.contains("'\(stranger)'"), "\(reply)")
            #expect(reply.value["error"]?["details"]?["license"] == .string(stranger))
        }
        #expect(try status(foreign, as: try fixture.caller(of: "co_other", view: .customer)) == "not_activated")
        try expectNothingChanged()
    }

    @Test func anAlreadyDestroyedLicenseDestroysNothingAndIsNamed() throws {
        let reply = try destroy([owned[0].id, owned[1].id, destroyedBefore.key.text])
        #expect(reply.errorCode == "conflict", "\(reply)")
        #expect(reply.errorMessage.contains(destroyedBefore.key.text), "\(reply)")
        #expect(reply.value["error"]?["details"]?["license"] == .string(destroyedBefore.id))
        try expectNothingChanged()

        #expect(try destroy([owned[0].id]).ok)
        #expect(try destroy([owned[0].id]).errorCode == "conflict", "a second destruction without idem")
        #expect(try events(.licenseDestroyed).count == 1)
    }

    @Test func onlyTheExactConfirmationWordDestroys() throws {
        for word: JSONValue? in ["accept", "ACCEPT", "Accepted", "yes", nil, .null, true] {
            let reply = try destroy([owned[0].id], confirm: word)
            #expect(reply.errorCode == "bad_request", "\(String(describing: word)): \(reply)")
            if word != true { #expect(reply.errorMessage.contains("Accept"), "\(reply)") }
        }
        try expectNothingChanged()
    }

    @Test func theLicenseListMustBeOneTo500DistinctLicenses() throws {
        let lists: [[String]] = [
            [], [owned[0].id, owned[0].id], [owned[0].id, owned[0].key.text], [owned[0].key.text, owned[0].key.text.lowercased()],
            [owned[0].id, ""], Array(repeating: owned[0].id, count: 501).enumerated().map { "li_\($0.offset)" },
        ]
        for list in lists {
            #expect(try destroy(list).errorCode == "bad_request", "\(list.prefix(3))")
        }
        let missing = try fixture.send(LicenseFixture.request(
            "license.destroy", auth: customer.token, view: customer.view, args: ["confirm": "Accept"]))
        #expect(missing.errorCode == "bad_request")
        try expectNothingChanged()
    }

    @Test func destroyingFollowsTheViewMatrix() throws {
        for view in [PortalView.reseller, .distributor, .partner] {
            let channel = try fixture.caller(of: "co_chan", view: view)
            #expect(try destroy([owned[0].id], as: channel).errorCode == "forbidden", "\(view)")
            #expect(try destructions(channel).errorCode == "forbidden", "\(view)")
        }
        try expectNothingChanged()

        // The customer view does not show the provider's contract licenses; the provider view does.
        let providerCaller = try fixture.caller(of: "co_sp", view: .serviceProvider)
        #expect(try destroy([provider.id], as: try fixture.caller(of: "co_sp", view: .customer)).errorCode == "forbidden")
        #expect(try destroy([provider.id]).errorCode == "not_found")
        #expect(try destroy([owned[0].id], as: providerCaller).errorCode == "not_found")
        #expect(try destroy([provider.id], as: providerCaller).ok)
        #expect(try status(provider, as: providerCaller) == "destroyed")

        // An integrator destroys the licenses of the customers that let it manage theirs.
        let integrator = try fixture.caller(of: "co_si", view: .systemIntegrator)
        #expect(try destroy([foreign.id], as: integrator).errorCode == "not_found")
        #expect(try destroy([owned[2].id], as: integrator).ok)
        #expect(try status(owned[2]) == "destroyed")
        #expect(try destroy([owned[0].id]).ok, "and the customer its own")
    }

    @Test func theActivationsOfADestroyedLicenseAreExpiredAndItCannotBeActivated() throws {
        let activated = try fixture.send(LicenseFixture.request(
            "license.activate", auth: customer.token, view: customer.view,
            args: ["license": .string(owned[0].id), "registration_key": "8F3KQ-2M9XD-7TQ4R-ZP6WN-H1C5B"]))
        #expect(activated.result["activation"]?["state"] == "active", "\(activated)")
        fixture.clock.advance(by: 600)
        #expect(try destroy([owned[0].id]).ok)
        let destroyedAt = fixture.now
        fixture.clock.advance(by: 600)

        let activations = try fixture.get(customer, owned[0].id).result["activations"]?.arrayValue ?? []
        #expect(activations.map { $0["state"] } == ["expired"])
        #expect(activations.first?["valid_until"] == destroyedAt.licenseTimestamp)
        #expect(try events(.licenseStatus).last?["data"]?["from"] == "activated")

        let again = try fixture.send(LicenseFixture.request(
            "license.activate", auth: customer.token, view: customer.view,
            args: ["license": .string(owned[0].id), "registration_key": "8F3KQ-2M9XD-7TQ4R-ZP6WN-H1C5B"]))
        #expect(again.errorCode == "conflict" && again.value["error"]?["details"]?["status"] == "destroyed", "\(again)")
    }

    @Test func aRetryWithTheSameKeyGetsTheSameReplyAndDestroysNothingMore() throws {
        let first = try destroy([owned[0].id, owned[1].id], comment: "retry", idem: "destroy-1")
        #expect(first.ok, "\(first)")
        fixture.clock.advance(by: 5)
        let retry = try destroy([owned[0].id, owned[1].id], comment: "retry", idem: "destroy-1")
        #expect(retry.result == first.result)
        #expect(try events(.licenseDestroyed).count == 2)
        #expect(try destructions().items.count == 1)
        #expect(try destroy([owned[2].id], idem: "destroy-1").errorCode == "conflict", "the key of another request")
    }

    // MARK: Records

    @Test func theRecordsListTheOwnCompanysDestructionsNewestFirst() throws {
        let integrator = try fixture.caller(of: "co_si", view: .systemIntegrator)
        let first = try #require(try destroy([owned[0].id], comment: "first").result["destruction"])
        let byIntegrator = try #require(try destroy([owned[2].id], as: integrator, comment: "by the integrator").result["destruction"])
        let second = try #require(try destroy([owned[1].key.text]).result["destruction"])

        let page = try destructions()
        #expect(page.items == [second, first], "\(page)")
        #expect(page.items.last?["comment"] == "first" && page.items.first?["comment"] == .null)
        #expect(page.items.last?["destroyed_by"] == "us_1")
        #expect(page.items.first?["licenses"] == [["id": .string(owned[1].id), "key": .string(owned[1].key.text)]])
        #expect(page.nextCursor == nil)

        let one = try destructions(customer, ["limit": 1])
        #expect(one.items == [second])
        let rest = try destructions(customer, ["limit": 1, "cursor": .string(try #require(one.nextCursor))])
        #expect(rest.items == [first] && rest.nextCursor == nil)
        #expect(try destructions(customer, ["cursor": "not a cursor"]).errorCode == "bad_request")

        #expect(try destructions(integrator).items == [byIntegrator], "each company sees its own records")
        #expect(try destructions(try fixture.caller(of: "co_other", view: .customer)).items.isEmpty)
    }
}
