import Foundation

/// A customer or channel company; what it may see is decided by the views it holds.
public struct Company: Sendable, Equatable {
    public var id: String
    public var name: String
    public var views: Set<PortalView>
    public var createdAt: Date
    /// System integrators this company lets manage its licenses.
    public var integrators: Set<String>
    /// The service-provider contract, for companies with the `service_provider` view.
    public var contract: ProviderContract?

    public init(
        id: String, name: String, views: Set<PortalView>, createdAt: Date, integrators: Set<String> = [],
        contract: ProviderContract? = nil
    ) {
        self.id = id
        self.name = name
        self.views = views
        self.createdAt = createdAt
        self.integrators = integrators
        self.contract = contract
    }
}
