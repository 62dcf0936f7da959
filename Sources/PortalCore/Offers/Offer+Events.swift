extension Offer.Status {
    /// The event that announces an offer's move to this status.
    public var eventType: EventType {
        switch self {
        case .requested: .offerRequested
        case .quoted: .offerQuoted
        case .accepted: .offerAccepted
        case .declined: .offerDeclined
        case .expired: .offerExpired
        case .fulfilled: .offerFulfilled
        }
    }
}
