import Foundation

extension License {
    /// How long an ALM license works from its purchase without being activated.
    public static let almTestPhase: TimeInterval = 30 * 86_400

    /// When an ALM license's test phase ends: 30 days after its purchase. Nil for other models,
    /// and once the license has been activated, when the test phase no longer matters.
    public var testPhaseEnd: Date? {
        guard model == .alm, activationState == .none else { return nil }
        return orderDate.addingTimeInterval(Self.almTestPhase)
    }
}
