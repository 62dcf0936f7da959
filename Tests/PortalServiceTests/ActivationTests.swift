import Foundation
import PortalCore
import PortalProtocol
@testable import PortalService
import Testing

/// `license.activate`, reactivation within and past the self-service limit, the activation
/// team's decisions, and the activations `license.get` shows.
@Suite struct ActivationTests {
    let fixture: LicenseFixture
    let customer: LicenseCaller
    let license: License

    static let keys = [
        "8F3KQ-2M9XD-7TQ4R-ZP6WN-H1C5B", "9XFD2-KQ7WM-3B8TN-P5HRJ-4C2GA", "T2M8Q-6VKX3-PDW9R-4NJB7-Y5E1S",
        "R4K7P-2MXQ9-HT3VD-8WNC6-0A2BZ", "M5C8R-J2X7T-4NQ9H-W3B6K-P1D0E",
    ]

    init() throws {
        fixture = try LicenseFixture.withCustomerAndReseller()
        var random = LicenseSplitMix64(seed: 5)
        license = fixture.makeLicense(
            product: "pr_engine", owner: "co_owner", model: .alm, reseller: "co_res", runtimeEnd: fixture.date(days: 300),
            serviceEnd: fixture.date(days: 200), using: &random)
        try fixture.insert([license])
        customer = try fixture.caller(of: "co_owner", view: .customer)
    }

    private func activate(_ key: String, as caller: LicenseCaller? = nil, license id: String? = nil) throws -> LicenseReply {
        try Self.activate(key, license: id ?? license.id, as: caller ?? customer, in: fixture)
    }

    /// `license.activate` of `license` for the server `key`, for the tests with a fixture of their own.
    static func activate(_ key: String, license: String, as caller: LicenseCaller, in fixture: LicenseFixture) throws -> LicenseReply {
        try fixture.send(LicenseFixture.request(
            "license.activate", auth: caller.token, view: caller.view,
            args: ["license": .string(license), "registration_key": .string(key)]))
    }

    private func events(_ type: EventType) throws -> [JSONValue] {
        try fixture.store.read { reader in
            try reader.events(after: 0, through: .max, types: [type], company: nil, limit: 1_000)
                .map { try JSONParser.parse(Array($0.body.utf8), maxDepth: 64) }
        }
    }

    @Test func aFirstActivationHandsOutKeysAndASignedCertificate() throws {
        let reply = try activate(Self.keys[0].lowercased())
        let activation = try #require(reply.result["activation"], "\(reply)")
        #expect(activation["registration_key"]?.stringValue == Self.keys[0], "normalised")
        #expect(activation["state"] == "active")
        #expect(activation["valid_until"]?.stringValue == RFC3339.string(from: fixture.date(days: 300)))
        #expect(activation["service_end"]?.stringValue == RFC3339.string(from: fixture.date(days: 200)))
        let activationKey = try #require(activation["activation_key"]?.stringValue.flatMap(LicenseKey.init))
        let subscriptionKey = try #require(activation["subscription_key"]?.stringValue.flatMap(LicenseKey.init))
        #expect(SubscriptionKey.read(subscriptionKey).serviceEnd.map { abs($0.timeIntervalSince(fixture.date(days: 200))) < 86_400 } == true)

        let payload = try TestTokenSigner.payload(of: try #require(activation["certificate"]?.stringValue))
        #expect(payload["license_key"]?.stringValue == license.key.text)
        #expect(payload["registration_key"]?.stringValue == Self.keys[0])
        #expect(payload["activation_key"]?.stringValue == activationKey.text)
        #expect(payload["product"] == "pr_engine" && payload["edition"] == "Standard" && payload["quantity"] == 5)
        #expect(payload["exp"]?.intValue == fixture.date(days: 300).unixSeconds)

        let got = try fixture.get(customer, license.id)
        #expect(got.result["status"] == "activated")
        #expect(got.result["activations"]?.arrayValue?.map { $0["activation_key"] } == [.string(activationKey.text)])
        #expect(got.result["activations"]?.arrayValue?.first?["certificate"] == nil, "certificates only from license.activate")
        #expect(try events(.licenseActivated).count == 1)
        let status = try events(.licenseStatus)
        #expect(status.map { [$0["data"]?["from"], $0["data"]?["to"]] } == [["not_activated", "activated"]])
        #expect(status.first?["parties"] == ["co_owner", "co_res"])
    }

    @Test func theSameServerAgainGetsItsActivationBack() throws {
        let first = try activate(Self.keys[0])
        let again = try activate(Self.keys[0])
        #expect(again.result == first.result)
        #expect(try events(.licenseActivated).count == 1)
    }

    @Test func malformedRegistrationKeysAreBadRequests() throws {
        for bad in ["8F3KQ2M9XD7TQ4RZP6WNH1C5B", "IF3KQ-2M9XD-7TQ4R-ZP6WN-H1C5B", "8F3KQ-2M9XD-7TQ4R-ZP6WN"] {
            #expect(try activate(bad).errorCode == "bad_request", "\(bad)")
        }
        #expect(try fixture.get(customer, license.id).result["status"] == "not_activated", "nothing changed")
    }

    @Test func activationFollowsTheViewMatrixAndVisibility() throws {
        let reseller = try fixture.caller(of: "co_res", view: .reseller)
        #expect(try activate(Self.keys[0], as: reseller).errorCode == "forbidden", "resellers do not activate")
        let sameCompanyAsCustomer = LicenseCaller(token: reseller.token, view: "customer")
        #expect(try activate(Self.keys[0], as: sameCompanyAsCustomer).errorCode == "not_found", "not its license")
        #expect(try fixture.get(reseller, license.id).result["activations"] == nil, "no keys in a view without activation")
    }

    @Test func expiredAndDestroyedLicensesCannotBeActivated() throws {
        var random = LicenseSplitMix64(seed: 9)
        let expired = fixture.makeLicense(product: "pr_engine", owner: "co_owner", model: .alm, runtimeEnd: fixture.date(days: -1), using: &random)
        let destroyed = fixture.makeLicense(product: "pr_engine", owner: "co_owner", destroyedAt: fixture.date(days: -1), using: &random)
        try fixture.insert([expired, destroyed])
        #expect(try activate(Self.keys[0], license: expired.id).errorCode == "conflict")
        #expect(try activate(Self.keys[0], license: destroyed.id).errorCode == "conflict")
    }

    @Test func aNewServerReactivatesUpToTheLimitThenTheActivationTeamDecides() throws {
        let first = try #require(try activate(Self.keys[0]).result["activation"])
        for (index, key) in Self.keys[1...3].enumerated() {
            let reply = try activate(key)
            #expect(reply.ok, "reactivation \(index + 1): \(reply)")
        }
        let got = try fixture.get(customer, license.id).result["activations"]?.arrayValue ?? []
        #expect(got.map { $0["state"] } == ["reactivation_required", "reactivation_required", "reactivation_required", "active"])
        #expect(got.first?["id"] == first["id"])
        #expect(got.first?["valid_until"]?.stringValue == RFC3339.string(from: fixture.date(days: 30)), "30 days of grace")
        let reactivated = try events(.licenseReactivated)
        #expect(reactivated.count == 3)
        #expect(reactivated.first?["data"]?["superseded"]?["id"] == first["id"])

        let refused = try activate(Self.keys[4])
        #expect(refused.errorCode == "limit_exceeded")
        #expect(refused.value["error"]?["details"]?["request_command"] == "license.reactivation_request")

        let request = try fixture.send(LicenseFixture.request(
            "license.reactivation_request", auth: customer.token, view: "customer",
            args: ["license": .string(license.key.text), "registration_key": .string(Self.keys[4]), "reason": "server replaced after a fire"]))
        let requestID = try #require(request.result["request"]?["id"], "\(request)")
        let twice = try fixture.send(LicenseFixture.request(
            "license.reactivation_request", auth: customer.token, view: "customer",
            args: ["license": .string(license.id), "registration_key": .string(Self.keys[4]), "reason": "again"]))
        #expect(twice.errorCode == "conflict")

        let staff = try fixture.login(try fixture.addStaff())
        let queue = try fixture.send(LicenseFixture.request("reactivation.list", auth: staff))
        #expect(queue.result["items"]?.arrayValue?.map { $0["id"] } == [requestID])
        let approved = try fixture.send(LicenseFixture.request(
            "reactivation.approve", auth: staff, args: ["request": requestID, "note": "confirmed by phone"]))
        #expect(approved.result["request"]?["status"] == "approved", "\(approved)")
        #expect(approved.result["activation"]?["registration_key"]?.stringValue == Self.keys[4])
        #expect(try fixture.send(LicenseFixture.request("reactivation.approve", auth: staff, args: ["request": requestID])).errorCode == "conflict")
        #expect(try activate(Self.keys[4]).result["activation"]?["id"] == approved.result["activation"]?["id"], "the customer fetches it")
        #expect(try events(.licenseReactivated).count == 4)
    }

    @Test func theLimitCountsOnlyTheLast365Days() throws {
        var random = LicenseSplitMix64(seed: 11)
        let perpetual = fixture.makeLicense(product: "pr_engine", owner: "co_owner", using: &random)
        try fixture.insert([perpetual])
        for key in Self.keys[0...3] { #expect(try activate(key, license: perpetual.id).ok) }
        #expect(try activate(Self.keys[4], license: perpetual.id).errorCode == "limit_exceeded")
        fixture.advance(days: 366)
        let customer = try fixture.caller(of: "co_owner", view: .customer)  // the old session has expired
        #expect(try activate(Self.keys[4], as: customer, license: perpetual.id).ok)
        let states = try fixture.get(customer, perpetual.id).result["activations"]?.arrayValue?.map { $0["state"] }
        #expect(states == ["expired", "expired", "expired", "reactivation_required", "active"], "superseded ones end after their grace")
    }

    @Test func requestsNeedTheLimitReachedAndRejectionsCloseThem() throws {
        _ = try activate(Self.keys[0])
        let early = try fixture.send(LicenseFixture.request(
            "license.reactivation_request", auth: customer.token, view: "customer",
            args: ["license": .string(license.id), "registration_key": .string(Self.keys[1]), "reason": "moving"]))
        #expect(early.errorCode == "conflict", "self-service is still available")
        for key in Self.keys[1...3] { _ = try activate(key) }
        let request = try fixture.send(LicenseFixture.request(
            "license.reactivation_request", auth: customer.token, view: "customer",
            args: ["license": .string(license.id), "registration_key": .string(Self.keys[4]), "reason": "moving"]))
        let staff = try fixture.login(try fixture.addStaff())
        let rejected = try fixture.send(LicenseFixture.request(
            "reactivation.reject", auth: staff, args: ["request": request.result["request"]?["id"] ?? .null, "reason": "too many moves"]))
        #expect(rejected.result["request"]?["status"] == "rejected" && rejected.result["request"]?["note"] == "too many moves")
        #expect(try fixture.send(LicenseFixture.request("reactivation.list", auth: staff)).result["items"] == [])
    }
}

extension ActivationTests {
    @Test func theLimitAndTheGraceAreServerSettings() throws {
        var policy = ReactivationPolicy()
        policy.limit = 1
        policy.grace = 7 * 86_400
        let fixture = try LicenseFixture(reactivation: policy)
        try fixture.addCompany("co_owner", views: [.customer])
        try fixture.addProductLine("pl_tp", name: "ThinPrint", products: [(id: "pr_engine", name: "ThinPrint Engine")])
        var random = LicenseSplitMix64(seed: 3)
        let license = fixture.makeLicense(product: "pr_engine", owner: "co_owner", using: &random)
        try fixture.insert([license])
        let customer = try fixture.caller(of: "co_owner", view: .customer)
        func activate(_ key: String) throws -> LicenseReply { try Self.activate(key, license: license.id, as: customer, in: fixture) }
        #expect(try activate(Self.keys[0]).ok)
        #expect(try activate(Self.keys[1]).ok, "one reactivation")
        let refused = try activate(Self.keys[2])
        #expect(refused.errorCode == "limit_exceeded" && refused.value["error"]?["details"]?["limit"] == 1)
        let first = try fixture.get(customer, license.id).result["activations"]?.arrayValue?.first
        #expect(first?["valid_until"]?.stringValue == RFC3339.string(from: fixture.date(days: 7)))
    }
}

/// `license.activate` signs on a snapshot before its write (`LicenseActivator.prepare`); the
/// write decides again on what it reads.
extension ActivationTests {
    private var activator: LicenseActivator {
        LicenseActivator(
            signer: TestTokenSigner(), policy: ReactivationPolicy(), now: fixture.now,
            cause: .command("license.activate", by: nil))
    }

    private func prepare(_ key: String, for license: License) throws -> LicenseActivator.Prepared {
        let registrationKey = try #require(RegistrationKey(key))
        let preparation = try fixture.store.read { reader in
            try activator.prepare(license, registrationKey: registrationKey, by: "us_test", reader: reader)
        }
        guard case .new(let prepared) = preparation else { throw PortalError(.internal, "nothing to prepare: \(preparation)") }
        return prepared
    }

    private func activate(_ key: String, prepared: LicenseActivator.Prepared) throws -> Activation {
        let registrationKey = try #require(RegistrationKey(key))
        return try fixture.store.write { writer in
            let current = try #require(try writer.license(id: license.id))
            return try activator.activate(current, registrationKey: registrationKey, by: "us_test", prepared: prepared, writer: writer)
        }
    }

    @Test func theWriteInsertsTheActivationSignedBeforeIt() throws {
        let prepared = try prepare(Self.keys[0], for: license)
        let other = try prepare(Self.keys[0], for: license)
        let activation = try activate(Self.keys[0], prepared: prepared)
        #expect(activation.certificate != other.activation.certificate, "two preparations, two certificates")
        #expect(activation == prepared.activation)
        let stored = try fixture.store.read { try $0.activations(licenseID: license.id) }
        #expect(stored == [activation])
    }

    @Test func aLicenseWhoseTermsChangedInBetweenIsSignedAgainInTheWrite() throws {
        let prepared = try prepare(Self.keys[0], for: license)
        let renewed = License.Service(level: "premium", start: fixture.date(days: 0), end: fixture.date(days: 400))
        try fixture.store.write { try $0.updateTerm(licenseID: license.id, runtimeEnd: fixture.date(days: 500), service: renewed) }
        let activation = try activate(Self.keys[0], prepared: prepared)
        #expect(activation.id != prepared.activation.id)
        let payload = try TestTokenSigner.payload(of: activation.certificate)
        #expect(payload["service_end"]?.stringValue == RFC3339.string(from: fixture.date(days: 400)))
        #expect(payload["exp"]?.intValue == fixture.date(days: 500).unixSeconds)
        #expect(try fixture.store.read { try $0.activations(licenseID: license.id) } == [activation])
    }

    @Test func whatTheWriteFindsDecidesWhetherItIsAReactivation() throws {
        var random = LicenseSplitMix64(seed: 13)
        let oneSlot = fixture.makeLicense(product: "pr_engine", owner: "co_owner", model: .alm, using: &random)
        try fixture.insert([oneSlot])
        #expect(oneSlot.activationSlots == 1)
        // Prepared while the slot was free; another server takes it before the write.
        let registrationKey = try #require(RegistrationKey(Self.keys[1]))
        let preparation = try fixture.store.read { reader in
            try activator.prepare(oneSlot, registrationKey: registrationKey, by: "us_test", reader: reader)
        }
        guard case .new(let prepared) = preparation else { Issue.record("nothing prepared"); return }
        #expect(prepared.activation.isReactivation == false)
        #expect(try activate(Self.keys[0], license: oneSlot.id).ok)
        let activation = try fixture.store.write { writer in
            let current = try #require(try writer.license(id: oneSlot.id))
            return try activator.activate(current, registrationKey: registrationKey, by: "us_test", prepared: prepared, writer: writer)
        }
        #expect(activation.id == prepared.activation.id)
        #expect(activation.isReactivation, "it superseded the other server's activation")
        #expect(try events(.licenseReactivated).count == 1)
    }

    /// Both are answered from the snapshot: no commit, not even an empty one (a store that syncs
    /// later counts every commit, rolled-back writes of a batch included).
    @Test func aRefusalAndARepeatAreAnsweredWithoutAWrite() throws {
        let fixture = try LicenseFixture.withCustomerAndReseller(commits: .groupedSyncedLater)
        var random = LicenseSplitMix64(seed: 17)
        let license = fixture.makeLicense(product: "pr_engine", owner: "co_owner", model: .alm, using: &random)
        try fixture.insert([license])
        let customer = try fixture.caller(of: "co_owner", view: .customer)
        func activate(_ key: String) throws -> LicenseReply { try Self.activate(key, license: license.id, as: customer, in: fixture) }
        for key in Self.keys[0...3] { #expect(try activate(key).ok) }
        let sync = try #require(fixture.store.deferredSync)
        let commits = sync.committed
        #expect(try activate(Self.keys[4]).errorCode == "limit_exceeded")
        #expect(try activate(Self.keys[3]).ok, "the current server again")
        #expect(sync.committed == commits)
    }
}
