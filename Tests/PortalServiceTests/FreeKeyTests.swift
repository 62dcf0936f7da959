import Foundation
import PortalCore
import PortalProtocol
@testable import PortalService
import PortalStore
import Testing

/// `license.free_keys.quota` and `license.free_keys.retrieve`: the quota's edges, what a free key
/// is, the events, the view matrix, the provider contract and retries.
@Suite struct FreeKeyTests {
    let fixture: LicenseFixture
    let customer: LicenseCaller
    /// Two running ALM licenses of co_owner (5 seats each, sold by co_res), the later one ending last.
    let shortALM: License
    let longALM: License

    init() throws {
        let fixture = try LicenseFixture.withCustomerAndReseller()
        self.fixture = fixture
        try fixture.addProductLine("pl_other", name: "Other", products: [(id: "pr_other", name: "Other Product")])
        var random = LicenseSplitMix64(seed: 42)
        shortALM = fixture.makeLicense(
            product: "pr_engine", owner: "co_owner", model: .alm, reseller: "co_res", runtimeEnd: fixture.date(days: 100),
            serviceEnd: fixture.date(days: 100), using: &random)
        longALM = fixture.makeLicense(
            product: "pr_engine", owner: "co_owner", model: .alm, reseller: "co_res", runtimeEnd: fixture.date(days: 200),
            serviceEnd: fixture.date(days: 200), using: &random)
        // Count for nothing: destroyed, expired, perpetual, another owner's.
        let destroyed = fixture.makeLicense(
            product: "pr_engine", owner: "co_owner", model: .alm, runtimeEnd: fixture.date(days: 300),
            destroyedAt: fixture.date(days: -1), using: &random)
        let expired = fixture.makeLicense(
            product: "pr_engine", owner: "co_owner", model: .alm, runtimeEnd: fixture.date(days: -1), using: &random)
        let perpetual = fixture.makeLicense(product: "pr_other", owner: "co_owner", using: &random)
        let foreign = fixture.makeLicense(
            product: "pr_engine", owner: "co_res", model: .alm, runtimeEnd: fixture.date(days: 100), using: &random)
        try fixture.insert([shortALM, longALM, destroyed, expired, perpetual, foreign])
        customer = try fixture.caller(of: "co_owner", view: .customer)
    }

    // MARK: Helpers

    private func retrieve(
        _ quantity: JSONValue, of product: String = "pr_engine", as caller: LicenseCaller? = nil, idem: String? = nil
    ) throws -> LicenseReply {
        let caller = caller ?? customer
        var request = LicenseFixture.request(
            "license.free_keys.retrieve", auth: caller.token, view: caller.view,
            args: ["product": .string(product), "quantity": quantity])
        if let idem, case .object(var members) = request {
            members["idem"] = .string(idem)
            request = .object(members)
        }
        return try fixture.send(request)
    }

    private func quota(_ caller: LicenseCaller? = nil) throws -> LicenseReply {
        let caller = caller ?? customer
        return try fixture.send(LicenseFixture.request("license.free_keys.quota", auth: caller.token, view: caller.view))
    }

    private func expectConforms(_ reply: LicenseReply, _ command: String) throws {
        let validator = JSONSchemaValidator(protocolFolder: ProtocolCatalogueTests.protocolFolder)
        #expect(try validator.validate(reply.result, against: "commands/\(command).schema.json#/$defs/result") == [], "\(reply)")
    }

    private func storedLicense(_ id: JSONValue?) throws -> License? {
        guard let id = id?.stringValue else { return nil }
        return try fixture.store.read { try $0.license(id: id) }
    }

    private func addProvider(_ id: String, contract: ProviderContract?) throws -> LicenseCaller {
        var company = try fixture.addCompany(id, views: [.serviceProvider])
        company.contract = contract
        try fixture.store.write { try $0.update(company) }
        return try fixture.caller(of: id, view: .serviceProvider)
    }

    // MARK: Customer

    @Test func theQuotaIsTheRunningALMSeatsOfEachProduct() throws {
        let reply = try quota()
        #expect(reply.ok, "\(reply)")
        #expect(reply.items == [["product": "pr_engine", "quota": 10, "used": 0, "remaining": 10]])
        try expectConforms(reply, "license.free_keys.quota")
    }

    @Test func exactlyTheQuotaIsRetrievedAndOneMoreIsLimitExceeded() throws {
        let tooMany = try retrieve(11)
        #expect(tooMany.errorCode == "limit_exceeded", "\(tooMany)")
        #expect(tooMany.value["error"]?["details"]?["remaining"] == 10)

        let first = try retrieve(4)
        #expect(first.ok, "\(first)")
        #expect(first.result["quota"] == ["product": "pr_engine", "quota": 10, "used": 4, "remaining": 6])
        try expectConforms(first, "license.free_keys.retrieve")
        let rest = try retrieve(6)
        #expect(rest.result["licenses"]?.arrayValue?.count == 6, "\(rest)")
        let oneMore = try retrieve(1)
        #expect(oneMore.errorCode == "limit_exceeded", "\(oneMore)")
        #expect(oneMore.value["error"]?["details"]?["remaining"] == 0)
        #expect(try quota().items == [["product": "pr_engine", "quota": 10, "used": 10, "remaining": 0]])
        let zero = try retrieve(0)
        #expect(zero.errorCode == "bad_request", "\(zero)")
    }

    @Test func aFreeKeyIsLinkedToTheLongestRunningALMLicenseAndEndsWithIt() throws {
        let reply = try retrieve(2)
        let items = reply.result["licenses"]?.arrayValue ?? []
        #expect(items.count == 2, "\(reply)")
        var positions: [Int] = []
        for item in items {
            let license = try #require(try storedLicense(item["id"]))
            #expect(license.model == .free)
            #expect(license.quantity == 1)
            #expect(license.parentID == longALM.id)
            #expect(license.runtimeEnd == longALM.runtimeEnd)
            #expect(license.service == longALM.service)
            #expect(license.parties == longALM.parties)
            #expect(license.orderReference == "FREE-\(longALM.orderReference)")
            #expect(license.key != longALM.key)
            positions.append(license.orderPosition)
            #expect(item["model"] == "free")
        }
        #expect(positions == [1, 2])
        // Another retrieval continues the order's lines.
        let next = try retrieve(1)
        #expect(try storedLicense(next.result["licenses"]?.arrayValue?.first?["id"])?.orderPosition == 3)
        // The reseller sees the keys it sold the parent of.
        let reseller = try fixture.caller(of: "co_res", view: .reseller)
        #expect(try fixture.get(reseller, items[0]["id"]!.stringValue!).ok)
        #expect(try fixture.get(customer, items[0]["id"]!.stringValue!).ok)
    }

    @Test func everyKeyEmitsLicenseCreated() throws {
        let reply = try retrieve(3)
        #expect(reply.ok, "\(reply)")
        let created = try EventCatalogueTests.storedEvents(
            fixture.store, validator: JSONSchemaValidator(protocolFolder: EventCatalogueTests.protocolFolder)
        ).filter { $0["type"] == "license.created" }
        #expect(created.map { $0["data"]?["license"]?["id"] } == reply.result["licenses"]?.arrayValue?.map { $0["id"] })
        #expect(created.allSatisfy { $0["data"]?["model"] == "free" && $0["data"]?["command"] == "license.free_keys.retrieve" })
        #expect(created.first?["parties"] == ["co_owner", "co_res"])
    }

    @Test func destroyedOrEndedKeysStopCounting() throws {
        let reply = try retrieve(10)
        let id = try #require(reply.result["licenses"]?.arrayValue?.first?["id"]?.stringValue)
        let destroyed = try fixture.send(LicenseFixture.request(
            "license.destroy", auth: customer.token, view: customer.view, args: ["licenses": [.string(id)], "confirm": "Accept"]))
        #expect(destroyed.ok, "\(destroyed)")
        #expect(try quota().items == [["product": "pr_engine", "quota": 10, "used": 9, "remaining": 1]])
        // Past the shorter ALM license's end, its seats and nothing retrieved (all under the longer) are gone.
        // A new session after each jump: the first one would have run out.
        fixture.clock.advance(by: 150 * 86_400)
        let later = try fixture.caller(of: "co_owner", view: .customer)
        #expect(try quota(later).items == [["product": "pr_engine", "quota": 5, "used": 9, "remaining": 0]])
        fixture.clock.advance(by: 100 * 86_400)
        let muchLater = try fixture.caller(of: "co_owner", view: .customer)
        #expect(try quota(muchLater).items == [])
        #expect(try retrieve(1, as: muchLater).errorCode == "forbidden")
    }

    @Test func withoutARunningALMLicenseOrProductNothingIsRetrieved() throws {
        let perpetualOnly = try retrieve(1, of: "pr_other")
        #expect(perpetualOnly.errorCode == "forbidden", "\(perpetualOnly)")
        let unknown = try retrieve(1, of: "pr_missing")
        #expect(unknown.errorCode == "not_found", "\(unknown)")
        try fixture.addCompany("co_plain", views: [.customer])
        let plain = try fixture.caller(of: "co_plain", view: .customer)
        let noALM = try retrieve(1, as: plain)
        #expect(noALM.errorCode == "forbidden", "co_plain holds no ALM license: \(noALM)")
        #expect(try quota(plain).items == [])
    }

    @Test func viewsWithoutTheFeatureAreForbidden() throws {
        try fixture.addCompany("co_chan", views: [.reseller, .distributor, .partner, .systemIntegrator])
        for view in [PortalView.reseller, .distributor, .partner, .systemIntegrator] {
            let caller = try fixture.caller(of: "co_chan", view: view)
            #expect(try retrieve(1, as: caller).errorCode == "forbidden", "\(view)")
            #expect(try quota(caller).errorCode == "forbidden", "\(view)")
        }
    }

    @Test func aRetryWithTheSameKeyGetsTheFirstReply() throws {
        let first = try retrieve(2, idem: "free-1")
        let again = try retrieve(2, idem: "free-1")
        #expect(first.ok && first.value["result"] == again.value["result"], "\(again)")
        #expect(try quota().items.first?["used"] == 2)
    }

    // MARK: Service provider

    @Test func aProviderRetrievesUpToTheContractQuota() throws {
        let contract = ProviderContract(quota: 3, startsAt: fixture.date(days: -10), endsAt: fixture.date(days: 50))
        let provider = try addProvider("co_sp", contract: contract)
        let before = try quota(provider)
        #expect(before.items == [["product": .null, "quota": 3, "used": 0, "remaining": 3]], "\(before)")
        try expectConforms(before, "license.free_keys.quota")

        let reply = try retrieve(2, as: provider)
        #expect(reply.ok, "\(reply)")
        try expectConforms(reply, "license.free_keys.retrieve")
        for item in reply.result["licenses"]?.arrayValue ?? [] {
            let license = try #require(try storedLicense(item["id"]))
            #expect(license.model == .serviceProvider && license.parentID == nil)
            #expect(license.parties == License.Parties(owner: "co_sp"))
            #expect(license.runtimeEnd == contract.endsAt)
            #expect(license.orderReference == "FREE-SP-co_sp")
            #expect(try fixture.get(provider, license.id).ok, "shown in the service_provider view")
        }
        let tooMany = try retrieve(2, of: "pr_other", as: provider)
        #expect(tooMany.errorCode == "limit_exceeded" && tooMany.value["error"]?["details"]?["remaining"] == 1, "\(tooMany)")
        #expect(try retrieve(1, of: "pr_other", as: provider).ok)
        #expect(try quota(provider).items.first?["remaining"] == 0)
    }

    @Test func aProviderWithoutAnActiveContractIsForbidden() throws {
        let none = try addProvider("co_sp", contract: nil)
        let ended = try addProvider(
            "co_sp_old", contract: ProviderContract(quota: 3, startsAt: fixture.date(days: -400), endsAt: fixture.date(days: -35)))
        let future = try addProvider(
            "co_sp_new", contract: ProviderContract(quota: 3, startsAt: fixture.date(days: 5), endsAt: fixture.date(days: 400)))
        for caller in [none, ended, future] {
            let reply = try retrieve(1, as: caller)
            #expect(reply.errorCode == "forbidden" && reply.errorMessage.contains("contract"), "\(reply)")
            #expect(try quota(caller).errorCode == "forbidden")
        }
    }
}

extension FreeKeyTests {
    @Test func freeKeysAreRenewedWithTheirParent() throws {
        let retrieved = try retrieve(1)
        let freeID = try #require(retrieved.result["licenses"]?.arrayValue?.first?["id"], "\(retrieved)")
        let parent = try #require(try storedLicense(freeID)?.parentID)
        let staff = try fixture.login(try fixture.addStaff())
        let renewal = try fixture.send(LicenseFixture.request(
            "license.renew", auth: staff, args: ["licenses": [.string(parent)], "years": 1, "order_reference": "SO-RENEW"]))
        #expect(renewal.ok, "\(renewal)")
        let renewedParent = try #require(try fixture.store.read { try $0.license(id: parent) })
        let free = try #require(try storedLicense(freeID))
        #expect(free.runtimeEnd == renewedParent.runtimeEnd && free.service?.end == renewedParent.service?.end)
        #expect(free.runtimeEnd != nil && free.runtimeEnd! > fixture.date(days: 300), "a year more than the parent had")
        let renewed = try fixture.store.read { reader in
            try reader.events(after: 0, through: .max, types: [.licenseRenewed], company: nil, limit: 100)
        }
        #expect(renewed.count == 2, "the parent's and its free key's")
    }
}
