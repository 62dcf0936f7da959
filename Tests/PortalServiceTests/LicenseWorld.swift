import Foundation
import PortalCore

/// A random portal: companies holding random views, integrator delegations and licenses with
/// random parties, models, runtimes and services; plus the product brief's visibility rule,
/// written here independently of `LicenseVisibility` and its SQL.
struct LicenseWorld {
    struct Delegation: Hashable {
        var customer: String
        var integrator: String
    }

    var companies: [Company] = []
    var delegations: Set<Delegation> = []
    var licenses: [License] = []

    /// PRODUCT.md, "What each view shows".
    func shows(_ license: License, in view: PortalView, to company: String) -> Bool {
        let parties = license.parties
        switch view {
        case .customer: return parties.owner == company && license.model != .serviceProvider
        case .serviceProvider: return parties.owner == company && license.model == .serviceProvider
        case .systemIntegrator:
            return parties.integrator == company
                || delegations.contains(Delegation(customer: parties.owner, integrator: company))
        case .reseller: return parties.reseller == company
        case .distributor: return parties.distributor == company
        case .partner: return parties.partner == company
        }
    }

    /// Builds a world from `seed` and writes it to the fixture's store.
    static func generate(seed: UInt64, into fixture: LicenseFixture) throws -> LicenseWorld {
        var random = LicenseSplitMix64(seed: seed)
        var world = LicenseWorld()
        let products = ["pr_a1", "pr_a2", "pr_b1"]
        try fixture.addProductLine("pl_a", name: "Line A", products: [("pr_a1", "Alpha One"), ("pr_a2", "Alpha Two")])
        try fixture.addProductLine("pl_b", name: "Line B", products: [("pr_b1", "Beta One")])

        for index in 0..<Int.random(in: 6...15, using: &random) {
            var views = Set(PortalView.allCases.filter { _ in random.chance(0.3) })
            if views.isEmpty { views.insert(PortalView.allCases.randomElement(using: &random)!) }
            world.companies.append(try fixture.addCompany("co_\(index)", views: views))
        }
        let ids = world.companies.map(\.id)
        for customer in ids {
            for integrator in ids where integrator != customer && random.chance(0.12) {
                world.delegations.insert(Delegation(customer: customer, integrator: integrator))
                try fixture.delegateManagement(of: customer, to: integrator)
            }
        }

        func party() -> String? { random.chance(0.4) ? nil : ids.randomElement(using: &random) }
        func moment(_ probabilityOfNone: Double) -> Date? {
            if random.chance(probabilityOfNone) { return nil }
            if random.chance(0.05) { return fixture.now }
            return fixture.date(days: Double(Int.random(in: -90...90, using: &random)))
        }
        for _ in 0..<Int.random(in: 80...200, using: &random) {
            // Service-provider licenses are common enough that every provider view sees some.
            let model = random.chance(0.3) ? .serviceProvider : LicenseModel.allCases.randomElement(using: &random)!
            world.licenses.append(fixture.makeLicense(
                product: products.randomElement(using: &random)!, owner: ids.randomElement(using: &random)!,
                model: model, integrator: party(), reseller: party(), distributor: party(), partner: party(),
                runtimeEnd: moment(0.4), serviceEnd: moment(0.3),
                activation: ActivationState.allCases.randomElement(using: &random)!,
                destroyedAt: random.chance(0.15) ? fixture.date(days: -1) : nil, using: &random))
        }
        try fixture.insert(world.licenses)
        return world
    }
}
