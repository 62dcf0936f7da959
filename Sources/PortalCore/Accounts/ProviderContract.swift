import Foundation

/// A service provider's contract: while it runs, the provider may hold licenses under the
/// service-provider model and retrieve free keys up to `quota`.
public struct ProviderContract: Sendable, Equatable {
    public var quota: Int
    public var startsAt: Date
    public var endsAt: Date

    public init(quota: Int, startsAt: Date, endsAt: Date) {
        self.quota = quota
        self.startsAt = startsAt
        self.endsAt = endsAt
    }

    public func isActive(at now: Date) -> Bool { startsAt <= now && now < endsAt }
}
