import Foundation

/// How often a license may be moved to a new server without asking the activation team, and
/// how long a superseded activation keeps working.
public struct ReactivationPolicy: Sendable, Equatable {
    /// Self-service reactivations allowed within `window`.
    public var limit = 3
    public var window: TimeInterval = 365 * 86_400
    /// How long a superseded activation keeps working.
    public var grace: TimeInterval = 30 * 86_400

    public init() {}

    /// Whether one more self-service reactivation is allowed, given the license's activations.
    public func allowsSelfService(_ activations: [Activation], at now: Date) -> Bool {
        reactivations(in: activations, at: now) < limit
    }

    /// The reactivations within the window before `now`.
    public func reactivations(in activations: [Activation], at now: Date) -> Int {
        activations.filter { $0.isReactivation && $0.activatedAt > now.addingTimeInterval(-window) }.count
    }
}
