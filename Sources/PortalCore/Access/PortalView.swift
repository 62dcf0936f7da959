/// A user group's view of the portal. A company holds one or more; every view-scoped command
/// names the active one.
public enum PortalView: String, Sendable, CaseIterable, Codable, Comparable {
    /// End customer using the licenses it owns.
    case customer
    /// External service provider managing licenses and services for end customers.
    case systemIntegrator = "system_integrator"
    /// Contract partner using licenses to sell cloud services (the service-provider model).
    case serviceProvider = "service_provider"
    /// Dealer selling licenses to end customers.
    case reseller
    /// Wholesaler selling licenses to resellers.
    case distributor
    /// Official channel or OEM partner.
    case partner

    public static func < (lhs: PortalView, rhs: PortalView) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
