/// Which offers a caller sees, as data the store turns into a query, so that listing and lookup
/// follow the same rule.
public enum OfferVisibility: Sendable, Equatable {
    /// A company in one of its views: the offers it requested in that view, and, in its
    /// reseller or distributor view, the offers routed to it as that seller.
    case company(String, view: PortalView)
    /// The vendor's staff: every offer.
    case staff

    public func shows(_ offer: Offer) -> Bool {
        isRequester(of: offer) || isSeller(of: offer) || self == .staff
    }

    /// Whether the caller asked for the offer (and so accepts or declines it).
    public func isRequester(of offer: Offer) -> Bool {
        guard case .company(let company, let view) = self else { return false }
        return offer.requesterID == company && offer.requesterView == view
    }

    /// Whether the offer was routed to the caller as its seller (and so is quoted by it).
    public func isSeller(of offer: Offer) -> Bool {
        guard case .company(let company, let view) = self else { return false }
        return offer.seller.companyID == company && offer.seller.view == view
    }
}
