/// Which licenses a view shows a company: the rule of the product brief, as data the store
/// turns into a query, so listing, counting and lookup all use the same rule.
public enum LicenseVisibility: Sendable, Equatable {
    /// Licenses the company owns, except those under the service-provider model.
    case ownedExceptProvider(company: String)
    /// Licenses the company owns under the service-provider model.
    case ownedUnderProviderModel(company: String)
    /// Licenses naming the company as integrator, or owned by customers that delegated management to it.
    case managedBy(integrator: String)
    case soldBy(reseller: String)
    case suppliedBy(distributor: String)
    case inChannelOf(partner: String)

    public init(view: PortalView, company: String) {
        switch view {
        case .customer: self = .ownedExceptProvider(company: company)
        case .serviceProvider: self = .ownedUnderProviderModel(company: company)
        case .systemIntegrator: self = .managedBy(integrator: company)
        case .reseller: self = .soldBy(reseller: company)
        case .distributor: self = .suppliedBy(distributor: company)
        case .partner: self = .inChannelOf(partner: company)
        }
    }

    /// The view whose visibility this is.
    public var view: PortalView {
        switch self {
        case .ownedExceptProvider: .customer
        case .ownedUnderProviderModel: .serviceProvider
        case .managedBy: .systemIntegrator
        case .soldBy: .reseller
        case .suppliedBy: .distributor
        case .inChannelOf: .partner
        }
    }
}
