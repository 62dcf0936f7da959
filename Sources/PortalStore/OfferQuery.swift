import Foundation
import PortalCore

/// A page of offers: whose, in which statuses, from where.
public struct OfferQuery: Sendable, Equatable {
    public var visibility: OfferVisibility
    /// Only these statuses as of `now` (a quote past its end counts as `expired`); empty: all.
    public var statuses: Set<Offer.Status> = []
    /// Only offers this company requested or was routed to.
    public var company: String?
    /// The order team's work, oldest first: offers routed to the vendor waiting for a quote, and
    /// accepted offers waiting for their renewal. Otherwise newest first.
    public var orderQueue = false
    public var limit = 50
    /// A `nextCursor` of the previous page; one this store did not give out is `bad_request`.
    public var after: String?
    /// The moment statuses are taken at.
    public var now: Date

    public init(visibility: OfferVisibility, now: Date) {
        self.visibility = visibility
        self.now = now
    }
}
