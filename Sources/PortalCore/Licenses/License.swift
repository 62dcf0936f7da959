import Foundation

/// A license as the store holds it. Status and service state depend on the time asked, so they
/// are computed (`status(at:)`, `serviceState(at:)`), never stored stale.
public struct License: Sendable, Equatable {
    /// The companies involved in a license's sale and use.
    public struct Parties: Sendable, Equatable {
        public var owner: String
        public var integrator: String?
        public var reseller: String?
        public var distributor: String?
        public var partner: String?

        public init(owner: String, integrator: String? = nil, reseller: String? = nil, distributor: String? = nil, partner: String? = nil) {
            self.owner = owner
            self.integrator = integrator
            self.reseller = reseller
            self.distributor = distributor
            self.partner = partner
        }
    }

    /// Update & Support: level and the service runtime.
    public struct Service: Sendable, Equatable {
        public var level: String
        public var start: Date
        public var end: Date

        public init(level: String, start: Date, end: Date) {
            self.level = level
            self.start = start
            self.end = end
        }
    }

    public var id: String
    public var key: LicenseKey
    public var productID: String
    public var edition: String
    /// Users or servers.
    public var quantity: Int
    public var model: LicenseModel
    public var orderReference: String
    /// The line of the order; with the reference, what makes an import idempotent.
    public var orderPosition: Int
    public var orderDate: Date
    public var parties: Parties
    /// When the license stops working; nil for perpetual licenses.
    public var runtimeEnd: Date?
    public var service: Service?
    public var activationSlots: Int
    public var activationState: ActivationState
    public var destroyedAt: Date?
    /// The license a free license was retrieved under.
    public var parentID: String?

    public init(
        id: String, key: LicenseKey, productID: String, edition: String, quantity: Int, model: LicenseModel,
        orderReference: String, orderPosition: Int, orderDate: Date, parties: Parties, runtimeEnd: Date?,
        service: Service?, activationSlots: Int = 1, activationState: ActivationState = .none,
        destroyedAt: Date? = nil, parentID: String? = nil
    ) {
        self.id = id
        self.key = key
        self.productID = productID
        self.edition = edition
        self.quantity = quantity
        self.model = model
        self.orderReference = orderReference
        self.orderPosition = orderPosition
        self.orderDate = orderDate
        self.parties = parties
        self.runtimeEnd = runtimeEnd
        self.service = service
        self.activationSlots = activationSlots
        self.activationState = activationState
        self.destroyedAt = destroyedAt
        self.parentID = parentID
    }

    public func status(at now: Date) -> LicenseStatus {
        if destroyedAt != nil { return .destroyed }
        if let runtimeEnd, runtimeEnd <= now { return .expired }
        switch activationState {
        case .none: return .notActivated
        case .activated: return .activated
        case .reactivationRequired: return .reactivationRequired
        }
    }

    public func serviceState(at now: Date) -> ServiceState {
        guard let service else { return .none }
        if service.end <= now { return .expired }
        let window = TimeInterval(ServiceState.expiringWindowDays * 86_400)
        return service.end.timeIntervalSince(now) <= window ? .expiring : .active
    }
}
