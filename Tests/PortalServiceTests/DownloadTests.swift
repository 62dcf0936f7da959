import Foundation
import PortalCore
import PortalProtocol
@testable import PortalService
import Testing

/// The entitlement rule on its own, then `software.list` and `software.download` through the
/// executor: views, visibility, the token and the errors.
@Suite struct DownloadTests {
    let fixture: LicenseFixture
    let customer: LicenseCaller
    /// Perpetual, ordered 300 days ago, Update & Support until 50 days ago.
    let perpetual: License
    /// Engine releases 400, 100 and 10 days ago.
    let old: Release, covered: Release, newest: Release

    init() throws {
        fixture = try LicenseFixture()
        try fixture.addCompany("co_owner", views: [.customer])
        try fixture.addCompany("co_res", views: [.reseller, .customer])
        try fixture.addCompany("co_dist", views: [.distributor])
        try fixture.addCompany("co_partner", views: [.partner])
        try fixture.addCompany("co_other", views: [.customer])
        try fixture.addProductLine("pl_tp", name: "ThinPrint", products: [
            (id: "pr_engine", name: "ThinPrint Engine"), (id: "pr_hub", name: "ThinPrint Hub"),
        ])
        try fixture.addProductLine("pl_pp", name: "Personal Printing", products: [
            (id: "pr_mobile", name: "Personal Printing Mobile"), (id: "pr_secret", name: "Personal Printing Secret"),
        ])
        var random = LicenseSplitMix64(seed: 11)
        perpetual = fixture.makeLicense(
            product: "pr_engine", owner: "co_owner", reseller: "co_res", distributor: "co_dist", partner: "co_partner",
            serviceEnd: fixture.date(days: -50), orderDate: fixture.date(days: -300), using: &random)
        let mobile = fixture.makeLicense(
            product: "pr_mobile", owner: "co_owner", model: .alm, runtimeEnd: fixture.date(days: 100),
            serviceEnd: fixture.date(days: 100), using: &random)
        let destroyedHub = fixture.makeLicense(
            product: "pr_hub", owner: "co_owner", serviceEnd: fixture.date(days: 300), destroyedAt: fixture.date(days: -1),
            using: &random)
        let secret = fixture.makeLicense(
            product: "pr_secret", owner: "co_other", serviceEnd: fixture.date(days: 300), using: &random)
        try fixture.insert([perpetual, mobile, destroyedHub, secret])
        old = try Self.publish(fixture, "re_engine_1", product: "pr_engine", version: "1.0", days: -400)
        covered = try Self.publish(fixture, "re_engine_2", product: "pr_engine", version: "2.0", days: -100)
        newest = try Self.publish(fixture, "re_engine_3", product: "pr_engine", version: "3.0", days: -10)
        try Self.publish(fixture, "re_mobile_1", product: "pr_mobile", version: "5.0", days: -5)
        try Self.publish(fixture, "re_hub_1", product: "pr_hub", version: "7.0", days: -5)
        try Self.publish(fixture, "re_secret_1", product: "pr_secret", version: "1.0", days: -5)
        customer = try fixture.caller(of: "co_owner", view: .customer)
    }

    @discardableResult
    static func publish(_ fixture: LicenseFixture, _ id: String, product: String, version: String, days: Double) throws -> Release {
        let release = Release(
            id: id, productID: product, version: version, releasedAt: fixture.date(days: days), notes: "What is new in \(version).",
            artifacts: [
                Release.Artifact(platform: "linux-x64", fileName: "\(product)-\(version).tar.gz", size: 31_000_000, sha256: String(repeating: "ab", count: 32)),
                Release.Artifact(platform: "windows-x64", fileName: "\(product)-\(version).msi", size: 48_000_000, sha256: String(repeating: "cd", count: 32)),
            ])
        try fixture.store.write { writer in try writer.insert(release) }
        return release
    }

    private func list(_ caller: LicenseCaller? = nil, _ args: [String: JSONValue] = [:]) throws -> LicenseReply {
        let caller = caller ?? customer
        return try fixture.send(LicenseFixture.request("software.list", auth: caller.token, view: caller.view, args: args))
    }

    private func download(_ release: String, _ artifact: String = "windows-x64", as caller: LicenseCaller? = nil) throws -> LicenseReply {
        let caller = caller ?? customer
        return try fixture.send(LicenseFixture.request(
            "software.download", auth: caller.token, view: caller.view,
            args: ["release": .string(release), "artifact": .string(artifact)]))
    }

    private func item(_ reply: LicenseReply, product: String) -> JSONValue? {
        reply.items.first { $0["product"]?["id"]?.stringValue == product }
    }

    private func expectValid(_ reply: LicenseReply, _ command: String) throws {
        let validator = JSONSchemaValidator(protocolFolder: ProtocolCatalogueTests.protocolFolder)
        #expect(try validator.validate(reply.result, against: "commands/\(command).schema.json#/$defs/result") == [], "\(reply)")
    }

    // MARK: The rule

    private func release(days: Double, product: String = "pr_engine") -> Release {
        Release(id: "re_x", productID: product, version: "9.9", releasedAt: fixture.date(days: days), notes: "", artifacts: [])
    }

    @Test func updateServiceCoversItsReleaseDateInclusively() {
        let service = perpetual.service!
        for date in [service.start, service.end] {
            let release = Release(id: "re_x", productID: "pr_engine", version: "9.9", releasedAt: date, notes: "", artifacts: [])
            #expect(ReleaseEntitlement.judge(release, licenses: [perpetual], at: fixture.now) == .entitled(license: perpetual, basis: .updateService))
        }
        let after = Release(
            id: "re_x", productID: "pr_engine", version: "9.9", releasedAt: service.end.addingTimeInterval(1), notes: "", artifacts: [])
        let refused = ReleaseEntitlement.judge(after, licenses: [perpetual], at: fixture.now)
        #expect(refused == .notEntitled(.serviceEnded(service.end)))
        if case .notEntitled(let reason) = refused {
            #expect(reason.code == "service_ended")
            #expect(reason.message(for: after).contains("after your Update & Support for this product ended on"))
        }
    }

    @Test func aPerpetualLicenseGrantsTheVersionsReleasedBeforeItWasBought() {
        var random = LicenseSplitMix64(seed: 3)
        let unserviced = fixture.makeLicense(product: "pr_engine", owner: "co_owner", orderDate: fixture.date(days: -200), using: &random)
        #expect(ReleaseEntitlement.judge(release(days: -200), licenses: [unserviced], at: fixture.now) == .entitled(license: unserviced, basis: .purchase))
        #expect(ReleaseEntitlement.judge(release(days: -199), licenses: [unserviced], at: fixture.now) == .notEntitled(.notCovered))
    }

    @Test func almGrantsEveryReleaseWhileRunningAndNothingOnceExpired() {
        var random = LicenseSplitMix64(seed: 4)
        let running = fixture.makeLicense(
            product: "pr_engine", owner: "co_owner", model: .alm, runtimeEnd: fixture.date(days: 1), serviceEnd: fixture.date(days: -20),
            using: &random)
        #expect(ReleaseEntitlement.judge(release(days: -10), licenses: [running], at: fixture.now) == .entitled(license: running, basis: .alm))
        let later = fixture.date(days: 2)
        #expect(ReleaseEntitlement.judge(release(days: -10), licenses: [running], at: later) == .notEntitled(.runtimeEnded(fixture.date(days: 1))))
        #expect(ReleaseEntitlement.judge(release(days: -30), licenses: [running], at: later) == .notEntitled(.runtimeEnded(fixture.date(days: 1))),
                "an expired license grants nothing, even a release its service covered")
    }

    @Test func destroyedLicensesAndOtherProductsGrantNothing() {
        var random = LicenseSplitMix64(seed: 5)
        let destroyed = fixture.makeLicense(
            product: "pr_engine", owner: "co_owner", model: .alm, runtimeEnd: fixture.date(days: 100), serviceEnd: fixture.date(days: 100),
            destroyedAt: fixture.date(days: -1), using: &random)
        #expect(ReleaseEntitlement.judge(release(days: -10), licenses: [destroyed], at: fixture.now) == .notEntitled(.noLicense))
        #expect(ReleaseEntitlement.judge(release(days: -10, product: "pr_hub"), licenses: [perpetual], at: fixture.now) == .notEntitled(.noLicense))
    }

    @Test func theBestLicenseGrants() {
        var random = LicenseSplitMix64(seed: 6)
        let shortService = fixture.makeLicense(
            product: "pr_engine", owner: "co_owner", serviceEnd: fixture.date(days: 10), orderDate: fixture.date(days: -100), using: &random)
        let longService = fixture.makeLicense(
            product: "pr_engine", owner: "co_owner", serviceEnd: fixture.date(days: 200), orderDate: fixture.date(days: -100), using: &random)
        let alm = fixture.makeLicense(
            product: "pr_engine", owner: "co_owner", model: .alm, runtimeEnd: fixture.date(days: 5), using: &random)
        #expect(ReleaseEntitlement.judge(release(days: -10), licenses: [shortService, longService], at: fixture.now)
            == .entitled(license: longService, basis: .updateService))
        #expect(ReleaseEntitlement.judge(release(days: -10), licenses: [shortService, alm, longService], at: fixture.now)
            == .entitled(license: alm, basis: .alm))
    }

    // MARK: software.list

    @Test func theCustomerSeesItsProductsReleasesAndEntitlements() throws {
        let reply = try list()
        try expectValid(reply, "software.list")
        #expect(reply.items.map { $0["product"]?["id"]?.stringValue } == ["pr_mobile", "pr_engine"], "by name; no destroyed, no foreign: \(reply)")
        let engine = try #require(item(reply, product: "pr_engine"))
        #expect(engine["product"]?["line"] == ["id": "pl_tp", "name": "ThinPrint"])
        let releases = try #require(engine["releases"]?.arrayValue)
        #expect(releases.map { $0["id"]?.stringValue } == [newest.id, covered.id, old.id])
        #expect(engine["latest"]?.stringValue == newest.id)
        #expect(engine["latest_entitled"]?.stringValue == covered.id)

        #expect(releases[0]["entitled"] == false)
        #expect(releases[0]["granted_by"] == .null)
        #expect(releases[0]["reason"]?["code"] == "service_ended")
        #expect(releases[1]["entitled"] == true)
        #expect(releases[1]["granted_by"] == ["license": .string(perpetual.id), "key": .string(perpetual.key.text), "basis": "update_service"])
        #expect(releases[1]["reason"] == .null)
        #expect(releases[2]["granted_by"]?["basis"] == "purchase")
        #expect(releases[1]["notes"] == "What is new in 2.0.")
        #expect(releases[1]["artifacts"]?.arrayValue?.map { $0["platform"] } == ["linux-x64", "windows-x64"])
        #expect(releases[1]["artifacts"]?.arrayValue?.first?["sha256"]?.stringValue == String(repeating: "ab", count: 32))
        #expect(releases[1]["artifacts"]?.arrayValue?.first?["size"] == 31_000_000)

        let mobile = try #require(item(reply, product: "pr_mobile"))
        #expect(mobile["releases"]?.arrayValue?.first?["granted_by"]?["basis"] == "alm")
    }

    @Test func onlyTheNewestFiveReleasesAreListed() throws {
        for number in 2...7 {
            try Self.publish(fixture, "re_mobile_\(number)", product: "pr_mobile", version: "5.\(number)", days: -5 + Double(number) / 10)
        }
        let mobile = try #require(item(try list(), product: "pr_mobile"))
        #expect(mobile["releases"]?.arrayValue?.map { $0["id"]?.stringValue } == (3...7).reversed().map { "re_mobile_\($0)" })
    }

    @Test func aProductLineNarrowsTheListByIdOrName() throws {
        #expect(try list(nil, ["product_line": "pl_tp"]).items.map { $0["product"]?["id"] } == ["pr_engine"])
        #expect(try list(nil, ["product_line": "Personal Printing"]).items.map { $0["product"]?["id"] } == ["pr_mobile"])
        let none = try list(nil, ["product_line": "pl_unknown"])
        #expect(none.ok && none.items.isEmpty, "\(none)")
        #expect(try list(nil, ["product_line": 5]).errorCode == "bad_request")
    }

    @Test func downloadsFollowTheViewMatrix() throws {
        let reseller = try fixture.caller(of: "co_res", view: .reseller)
        let distributor = try fixture.caller(of: "co_dist", view: .distributor)
        for caller in [reseller, distributor] {
            #expect(try list(caller).errorCode == "forbidden", "\(caller)")
            #expect(try download(covered.id, as: caller).errorCode == "forbidden", "\(caller)")
        }
        let partner = try fixture.caller(of: "co_partner", view: .partner)
        let partnerList = try list(partner)
        #expect(partnerList.items.map { $0["product"]?["id"] } == ["pr_engine"], "\(partnerList)")
        #expect(try download(covered.id, as: partner).ok)
        // The reseller company's own customer view holds no licenses at all.
        let resellerAsCustomer = LicenseCaller(token: reseller.token, view: "customer")
        #expect(try list(resellerAsCustomer).items.isEmpty)
        #expect(try download(covered.id, as: resellerAsCustomer).errorCode == "not_found")
    }

    // MARK: software.download

    @Test func theTokenNamesArtifactUserCompanyAndExpiry() throws {
        let reply = try download(covered.id, "windows-x64")
        try expectValid(reply, "software.download")
        #expect(reply.result["url"] == "/downloads/re_engine_2/pr_engine-2.0.msi")
        let expiresAt = fixture.date(days: 0, seconds: 3_600)
        #expect(reply.result["expires_at"] == expiresAt.licenseTimestamp)
        let payload = try TestTokenSigner.payload(of: try #require(reply.result["token"]?.stringValue))
        let userID = try #require(try fixture.send(LicenseFixture.request("session.get", auth: customer.token)).result["user"]?["id"])
        #expect(payload == [
            "iss": "enterprise-portal", "sub": "pr_engine-2.0.msi", "release": "re_engine_2", "product": "pr_engine",
            "platform": "windows-x64", "sha256": .string(String(repeating: "cd", count: 32)), "size": 48_000_000,
            "user": userID, "company": "co_owner",
            "iat": .int(fixture.now.unixSeconds), "exp": .int(expiresAt.unixSeconds),
        ])
        #expect(try download(covered.id, "pr_engine-2.0.tar.gz").result["url"] == "/downloads/re_engine_2/pr_engine-2.0.tar.gz", "by file name")
    }

    @Test func aReleaseAfterTheServiceEndedIsForbiddenWithTheReason() throws {
        let reply = try download(newest.id)
        #expect(reply.errorCode == "forbidden")
        #expect(reply.value["error"]?["details"] == ["reason": "service_ended", "release": .string(newest.id)])
        #expect(reply.errorMessage.contains("after your Update & Support for this product ended on"), "\(reply)")
    }

    @Test func unknownReleasesArtifactsAndOtherCompaniesProductsAreNotFound() throws {
        #expect(try download("re_missing").errorCode == "not_found")
        #expect(try download("re_secret_1").errorCode == "not_found", "another company's product")
        #expect(try download("re_hub_1").errorCode == "not_found", "only a destroyed license of the product")
        let artifact = try download(covered.id, "macos-arm64")
        #expect(artifact.errorCode == "not_found")
        #expect(artifact.errorMessage.contains("linux-x64, windows-x64"), "\(artifact)")
        #expect(try fixture.send(LicenseFixture.request(
            "software.download", auth: customer.token, view: customer.view, args: ["release": .string(covered.id)])).errorCode == "bad_request")
    }
}
