/// The roles a company can have in a license, and which of them each view may see: a customer
/// sees who sold it the license, not the reseller's own supplier.
public enum LicensePartyRole: String, Sendable, CaseIterable {
    case owner, integrator, reseller, distributor, partner

    public static func visible(in view: PortalView) -> [LicensePartyRole] {
        switch view {
        case .customer, .serviceProvider, .systemIntegrator: [.owner, .integrator, .reseller]
        case .reseller: [.owner, .integrator, .reseller, .distributor]
        case .distributor: [.owner, .reseller, .distributor]
        case .partner: [.owner, .reseller, .distributor, .partner]
        }
    }
}

extension License.Parties {
    /// Every company named, whatever its role.
    public var all: Set<String> { Set(named) }

    /// Every company named, in the order of the roles: one company may be named more than once.
    public var named: [String] { LicensePartyRole.allCases.compactMap { self[$0] } }

    public subscript(role: LicensePartyRole) -> String? {
        switch role {
        case .owner: owner
        case .integrator: integrator
        case .reseller: reseller
        case .distributor: distributor
        case .partner: partner
        }
    }
}
