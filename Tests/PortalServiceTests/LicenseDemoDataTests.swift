import Foundation
import PortalCore
import PortalProtocol
@testable import PortalService
import PortalStore
import Testing

/// `DemoData.generate`: the demo portal the README promises, the same every time.
@Suite struct LicenseDemoDataTests {
    static let emails = [
        "customer@demo.example", "customer2@demo.example", "integrator@demo.example", "provider@demo.example",
        "reseller@demo.example", "distributor@demo.example", "partner@demo.example", "multi@demo.example",
        "order@demo.example", "activation@demo.example", "support@demo.example", "admin@demo.example",
        "service@demo.example",
    ]
    static let customer = "co_demo_customer"

    let fixture: LicenseFixture
    let accounts: [DemoData.Account]

    init() throws {
        fixture = try LicenseFixture()
        accounts = try Self.generate(into: fixture)
    }

    static func generate(into fixture: LicenseFixture, extraLicenses: Int = 0) throws -> [DemoData.Account] {
        try DemoData(store: fixture.store, passwords: .minimalCost, now: fixture.now).generate(extraLicenses: extraLicenses)
    }

    func demoCaller(_ email: String, view: PortalView) throws -> LicenseCaller {
        LicenseCaller(token: try fixture.login(email, password: "portal-demo"), view: view.rawValue)
    }

    /// Every license in `store`, destroyed ones too: each has an owner, whose two owner views cover it.
    static func allLicenses(in store: any Store, now: Date) throws -> [License] {
        try store.read { reader in
            try reader.companies(after: nil, limit: 100_000).flatMap { company in
                try [LicenseVisibility.ownedExceptProvider(company: company.id), .ownedUnderProviderModel(company: company.id)]
                    .flatMap { visibility in
                        var query = LicenseQuery(visibility: visibility, now: now)
                        query.statuses = Set(LicenseStatus.allCases)
                        query.limit = 1_000_000
                        return try reader.licenses(matching: query).map(\.license)
                    }
            }
        }
        .sorted { $0.id < $1.id }
    }

    @Test("the thirteen accounts exist and log in with portal-demo")
    func accountsLogIn() throws {
        #expect(accounts.map(\.email).sorted() == Self.emails.sorted())
        for email in Self.emails {
            _ = try fixture.login(email, password: "portal-demo")
        }
    }

    @Test func everyViewOfEveryCompanyAccountSeesSomeLicense() throws {
        for email in Self.emails {
            let views = try fixture.store.read { reader in
                try reader.user(email: email)?.companyID.flatMap { try reader.company(id: $0) }?.views ?? []
            }
            for view in views {
                let reply = try fixture.list(try demoCaller(email, view: view), ["limit": 1])
                #expect(!reply.items.isEmpty, "\(email) in \(view) sees nothing: \(reply)")
            }
        }
    }

    @Test("Demo Customer AG has five or more licenses in every status")
    func customerHasEveryStatus() throws {
        let caller = try demoCaller("customer@demo.example", view: .customer)
        for status in LicenseStatus.allCases {
            let count = try fixture.listAllIDs(caller, ["filter": ["status": .string(status.rawValue)]]).count
            #expect(count >= 5, "\(status): \(count)")
        }
    }

    @Test("Demo Customer AG holds perpetual, ALM, trial and free licenses")
    func customerHasEveryCustomerModel() throws {
        let caller = try demoCaller("customer@demo.example", view: .customer)
        for model in ["perpetual", "alm", "trial", "free"] {
            let ids = try fixture.listAllIDs(caller, ["filter": ["model": .string(model), "status": LicenseStatus.allCases.map(\.rawValue).licenseJSON]])
            #expect(!ids.isEmpty, "no \(model) license")
        }
    }

    @Test("most of Demo Customer AG's licenses name the demo reseller; some are in the demo partner's channel")
    func customerLicensesNameTheChannel() throws {
        let everyStatus: [String: JSONValue] = ["filter": ["status": LicenseStatus.allCases.map(\.rawValue).licenseJSON]]
        let items = try fixture.listAll(try demoCaller("customer@demo.example", view: .customer), everyStatus, limit: 500)
        let soldByReseller = items.filter { $0["parties"]?["reseller"]?["id"] == "co_demo_reseller" }
        #expect(soldByReseller.count * 2 > items.count, "\(soldByReseller.count) of \(items.count)")

        // The customer view does not name partners; the partner's own view shows them.
        let channel = try fixture.listAll(try demoCaller("partner@demo.example", view: .partner), everyStatus, limit: 500)
        #expect(channel.contains { $0["parties"]?["owner"]?["id"] == .string(Self.customer) })
    }

    @Test("generating twice into fresh stores gives the same licenses and keys")
    func deterministic() throws {
        let other = try LicenseFixture()
        _ = try Self.generate(into: other)
        let first = try Self.allLicenses(in: fixture.store, now: fixture.now)
        let second = try Self.allLicenses(in: other.store, now: other.now)
        #expect(!first.isEmpty)
        #expect(first.map(\.key) == second.map(\.key))
        #expect(first == second)
    }

    @Test("a store that has companies already is refused with conflict")
    func nonEmptyStoreIsRefused() throws {
        let error = #expect(throws: PortalError.self) { try Self.generate(into: fixture) }
        #expect(error?.code == .conflict)
    }

    @Test("extraLicenses adds exactly that many licenses")
    func extraLicenses() throws {
        let bigger = try LicenseFixture()
        _ = try Self.generate(into: bigger, extraLicenses: 2_000)
        let base = try Self.allLicenses(in: fixture.store, now: fixture.now).count
        let extended = try Self.allLicenses(in: bigger.store, now: bigger.now)
        #expect(extended.count == base + 2_000)
        #expect(Set(extended.map(\.key)).count == extended.count, "keys are unique")
    }
}
