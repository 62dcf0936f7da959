extension Offer.Status {
    /// The statuses an offer may move to from this one: the seller quotes a request; the
    /// requester accepts or declines a quote, or it expires; a renewal fulfils an accepted offer.
    /// A quote is given once, and every decision is final.
    public var next: [Offer.Status] {
        switch self {
        case .requested: [.quoted]
        case .quoted: [.accepted, .declined, .expired]
        case .accepted: [.fulfilled]
        case .declined, .expired, .fulfilled: []
        }
    }

    public func allows(_ target: Offer.Status) -> Bool { next.contains(target) }
}
