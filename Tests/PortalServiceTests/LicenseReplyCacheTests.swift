import Foundation
import PortalCore
import PortalProtocol
@testable import PortalService
import PortalStore
import Testing

/// `license.get` results sent again from memory: only to those allowed to read them, and never
/// after a commit or a turn of the clock changed them.
@Suite struct LicenseReplyCacheTests {
    let fixture: LicenseFixture
    /// ALM, activated, service ending in 30 days: "active" now, "expiring" in three days.
    let license: License

    init() throws {
        fixture = try LicenseFixture()
        try fixture.addProductLine("pl_tp", name: "ThinPrint", products: [("pr_engine", "ThinPrint Engine")])
        for company in LicenseItemTests.companies {
            try fixture.addCompany(company.id, name: company.name, views: [company.view])
        }
        try fixture.addCompany("co_other", name: "Other AG", views: [.customer, .reseller])
        var random = LicenseSplitMix64(seed: 11)
        license = LicenseItemTests.makeLicense(
            in: fixture, model: .alm, runtimeEnd: fixture.date(days: 60), serviceEnd: fixture.date(days: 30),
            activation: .activated, using: &random)
        try fixture.insert([license])
    }

    var cache: LicenseReplyCache { fixture.executor.environment.licenseReplies }

    func get(_ caller: LicenseCaller, _ idOrKey: String? = nil) throws -> LicenseReply {
        try fixture.get(caller, idOrKey ?? license.id)
    }

    func rename(_ company: String, to name: String, in store: SQLiteStore) throws {
        try store.write { writer in
            var changed = try #require(try writer.company(id: company))
            changed.name = name
            try writer.update(changed)
        }
    }

    @Test func aRepeatedGetIsSentFromMemory() throws {
        let owner = try fixture.caller(of: "co_owner", view: .customer)
        let first = try get(owner)
        try #require(first.ok, "\(first)")
        #expect(cache.count == 1)
        #expect(try get(owner).value == first.value)
        // By key it is a result of its own, the same one.
        #expect(try get(owner, license.key.text).result == first.result)
        #expect(cache.count == 2)
    }

    @Test func aCommitOfThisProcessShowsAtOnce() throws {
        let owner = try fixture.caller(of: "co_owner", view: .customer)
        #expect(try get(owner).result["parties"]?["reseller"]?["name"] == "Reseller KG")
        try rename("co_res", to: "Reseller Neu KG", in: fixture.store)
        #expect(try get(owner).result["parties"]?["reseller"]?["name"] == "Reseller Neu KG")
    }

    @Test func aCommitOfAnotherProcessShowsWithinTheRereadInterval() throws {
        // Another store on the same file stands for another process (an import, another tool):
        // its changes reach this one only through the file's counter, read again every interval.
        let owner = try fixture.caller(of: "co_owner", view: .customer)
        #expect(try get(owner).result["parties"]?["integrator"]?["name"] == "Integrator GmbH")
        let other = try SQLiteStore(path: fixture.folder.appendingPathComponent("portal.sqlite").path)
        try rename("co_int", to: "Integrator Zwei GmbH", in: other)
        Thread.sleep(forTimeInterval: Double(SQLiteStore.otherProcessesChangesShowWithin / .milliseconds(1)) / 1_000)
        #expect(try get(owner).result["parties"]?["integrator"]?["name"] == "Integrator Zwei GmbH")
    }

    @Test func theClockChangesWhatItShowsWithoutACommit() throws {
        // With no commit between the reads (a session's use is written once a minute): the
        // service enters its last 28 days after 20 seconds, the runtime ends after 50.
        var random = LicenseSplitMix64(seed: 13)
        let ending = LicenseItemTests.makeLicense(
            in: fixture, model: .alm, runtimeEnd: fixture.date(days: 0, seconds: 50),
            serviceEnd: fixture.date(days: 28, seconds: 20), activation: .activated, using: &random)
        try fixture.insert([ending])
        let owner = try fixture.caller(of: "co_owner", view: .customer)
        let before = try get(owner, ending.id).result
        #expect(before["service"]?["state"] == "active")
        #expect(before["status"] == "activated")
        fixture.clock.advance(by: 30)
        #expect(try get(owner, ending.id).result["service"]?["state"] == "expiring")
        fixture.clock.advance(by: 25)
        #expect(try get(owner, ending.id).result["status"] == "expired")
        #expect(cache.count == 1, "each read was kept in place of the one before")
    }

    @Test func aResultGoesOnlyToItsCompanyAndView() throws {
        let owner = try fixture.caller(of: "co_owner", view: .customer)
        let seen = try get(owner)
        try #require(seen.ok)
        // The reseller sees the same license with the parties of its own view.
        let reseller = try get(try fixture.caller(of: "co_res", view: .reseller))
        try #require(reseller.ok, "\(reseller)")
        #expect(reseller.result != seen.result)
        #expect(reseller.result["parties"]?["distributor"] != nil)
        // A company that the license does not name finds nothing, in any of its views.
        #expect(try get(try fixture.caller(of: "co_other", view: .customer)).errorCode == "not_found")
        #expect(try get(try fixture.caller(of: "co_other", view: .reseller)).errorCode == "not_found")
        #expect(try get(owner).value == seen.value)
    }

    @Test func nothingIsKeptWithCapacityZero() throws {
        let fixture = try LicenseFixture(licenseReplyBytes: 0)
        try fixture.addProductLine("pl_tp", name: "ThinPrint", products: [("pr_engine", "ThinPrint Engine")])
        for company in LicenseItemTests.companies {
            try fixture.addCompany(company.id, name: company.name, views: [company.view])
        }
        var random = LicenseSplitMix64(seed: 12)
        let license = LicenseItemTests.makeLicense(in: fixture, model: .perpetual, using: &random)
        try fixture.insert([license])
        let reply = try fixture.get(try fixture.caller(of: "co_owner", view: .customer), license.id)
        #expect(reply.ok)
        #expect(fixture.executor.environment.licenseReplies.count == 0)
    }

    @Test func aResultReadBeforeTheLatestChangeIsNotKept() throws {
        let cache = LicenseReplyCache(capacityBytes: 1 << 20)
        let entry = LicenseReplyCache.Entry(result: JSONText(JSONWriter()), license: license, activations: nil, at: fixture.now)
        cache.keep(entry, for: key("a"), changeNumber: 5)
        #expect(cache.result(for: key("a"), changeNumber: 5, at: fixture.now) != nil)
        #expect(cache.result(for: key("a"), changeNumber: 6, at: fixture.now) == nil)
        cache.keep(entry, for: key("b"), changeNumber: 4)
        #expect(cache.result(for: key("b"), changeNumber: 4, at: fixture.now) == nil)
        #expect(cache.count == 1)
        // A later number empties the cache: everything in it was read before that change.
        cache.keep(entry, for: key("b"), changeNumber: 7)
        #expect(cache.count == 1)
        #expect(cache.result(for: key("a"), changeNumber: 7, at: fixture.now) == nil)
    }

    @Test func theCacheHoldsNoMoreThanItsCapacity() throws {
        let entry = LicenseReplyCache.Entry(result: JSONText(JSONWriter()), license: license, activations: nil, at: fixture.now)
        let cache = LicenseReplyCache(capacityBytes: 2 * entry.bytes)
        cache.keep(entry, for: key("a"), changeNumber: 1)
        cache.keep(entry, for: key("b"), changeNumber: 1)
        // Kept again in its place, a result takes no more room.
        cache.keep(entry, for: key("a"), changeNumber: 1)
        #expect(cache.count == 2)
        #expect(cache.bytes == 2 * entry.bytes)
        // Past the capacity, the cache starts again rather than grow.
        cache.keep(entry, for: key("c"), changeNumber: 1)
        #expect(cache.count == 1)
        #expect(cache.result(for: key("c"), changeNumber: 1, at: fixture.now) != nil)
        // A result larger than the whole capacity is not kept at all.
        var large = JSONWriter()
        large.object { json in json.member("padding", String(repeating: "x", count: 2 * entry.bytes)) }
        cache.keep(
            LicenseReplyCache.Entry(result: JSONText(large), license: license, activations: nil, at: fixture.now),
            for: key("d"), changeNumber: 1)
        #expect(cache.result(for: key("d"), changeNumber: 1, at: fixture.now) == nil)
        #expect(cache.count == 1)
    }

    @Test func keptResultsHoldTheirBytesOnlyAndNoCertificates() throws {
        var writer = JSONWriter(capacity: 4_096)
        writer.object { _ in }
        let activation = Activation(
            id: "ac_1", licenseID: license.id, registrationKey: RegistrationKey("AAAAA-BBBBB-CCCCC-DDDDD-EEEE1")!, activationKey: license.key,
            subscriptionKey: license.key, certificate: String(repeating: "c", count: 900), isReactivation: false,
            activatedAt: fixture.now, activatedBy: "us_1")
        let entry = LicenseReplyCache.Entry(result: JSONText(writer), license: license, activations: [activation], at: fixture.now)
        #expect(entry.result.bytes == Array("{}".utf8))
        #expect(entry.result.bytes.capacity < 64)
        #expect(entry.activations?.first?.certificate == "")
        #expect(entry.activations?.first?.id == "ac_1")
    }

    private func key(_ license: String) -> LicenseReplyCache.Key {
        LicenseReplyCache.Key(license: license, view: .customer, company: "co_owner")
    }
}
