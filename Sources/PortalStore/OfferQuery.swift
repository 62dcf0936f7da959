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
    /// Where the previous page ended; an offer the caller does not see, or one requested at
    /// another moment, is `bad_request`.
    public var after: Cursor?
    /// The moment statuses are taken at.
    public var now: Date

    /// The last offer of a page, by its id and when it was requested: never its place among
    /// every company's offers, which would tell how many others asked in between.
    public struct Cursor: Sendable, Equatable {
        public var requestedAt: Date
        public var id: String

        public init(requestedAt: Date, id: String) {
            self.requestedAt = requestedAt
            self.id = id
        }
    }

    public init(visibility: OfferVisibility, now: Date) {
        self.visibility = visibility
        self.now = now
    }
}
