import Foundation

/// A request for a non-binding offer to renew the Update & Support of licenses, and what became
/// of it: routed to whoever sold the licenses, quoted there, then accepted, declined or left to
/// expire by the requester; an accepted offer is fulfilled by the order team's renewal.
public struct Offer: Sendable, Equatable {
    /// Where an offer stands. `fulfilled` and the decisions are final.
    public enum Status: String, Sendable, CaseIterable, Comparable {
        case requested, quoted, accepted, declined, expired, fulfilled

        public static func < (lhs: Status, rhs: Status) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// One license of the request, with what it was when requested.
    public struct Item: Sendable, Equatable {
        public var licenseID: String
        public var key: LicenseKey
        public var productID: String

        public init(licenseID: String, key: LicenseKey, productID: String) {
            self.licenseID = licenseID
            self.key = key
            self.productID = productID
        }
    }

    /// The seller's answer: a price for the whole request, valid until a moment.
    public struct Quote: Sendable, Equatable {
        public var price: Money
        public var validUntil: Date
        public var note: String?
        public var quotedAt: Date
        /// The seller's user, or the order team's.
        public var quotedBy: String

        public init(price: Money, validUntil: Date, note: String?, quotedAt: Date, quotedBy: String) {
            self.price = price
            self.validUntil = validUntil
            self.note = note
            self.quotedAt = quotedAt
            self.quotedBy = quotedBy
        }
    }

    /// The requester's acceptance or refusal of the quote.
    public struct Decision: Sendable, Equatable {
        public var at: Date
        public var by: String
        /// Why it was declined, when the requester said so.
        public var reason: String?

        public init(at: Date, by: String, reason: String? = nil) {
            self.at = at
            self.by = by
            self.reason = reason
        }
    }

    /// The renewal that used the accepted offer.
    public struct Fulfilment: Sendable, Equatable {
        public var at: Date
        /// The order team member who renewed.
        public var by: String
        public var orderReference: String

        public init(at: Date, by: String, orderReference: String) {
            self.at = at
            self.by = by
            self.orderReference = orderReference
        }
    }

    /// The most licenses one request takes, as for a renewal.
    public static let maxLicenses = 500
    /// How many years of Update & Support one request may ask for.
    public static let extensionYears = 1...5

    public var id: String
    /// The company that asked, in the view it asked in: it alone accepts or declines.
    public var requesterID: String
    public var requesterView: PortalView
    public var requestedBy: String
    public var requestedAt: Date
    public var seller: Seller
    public var licenses: [Item]
    public var extensionYears: Int
    public var message: String?
    /// As stored: a quote past its `validUntil` is `quoted` here until the expiry pass records
    /// it; `status(at:)` tells the truth at any moment.
    public var status: Status
    public var quote: Quote?
    public var decision: Decision?
    public var fulfilment: Fulfilment?

    public init(
        id: String, requesterID: String, requesterView: PortalView, requestedBy: String, requestedAt: Date, seller: Seller,
        licenses: [Item], extensionYears: Int, message: String?, status: Status = .requested, quote: Quote? = nil,
        decision: Decision? = nil, fulfilment: Fulfilment? = nil
    ) {
        self.id = id
        self.requesterID = requesterID
        self.requesterView = requesterView
        self.requestedBy = requestedBy
        self.requestedAt = requestedAt
        self.seller = seller
        self.licenses = licenses
        self.extensionYears = extensionYears
        self.message = message
        self.status = status
        self.quote = quote
        self.decision = decision
        self.fulfilment = fulfilment
    }

    /// The status at `now`: a quote ends at its `validUntil` whether or not the expiry pass has
    /// run, so nobody accepts an expired quote in the moments before it does.
    public func status(at now: Date) -> Status {
        if status == .quoted, let quote, quote.validUntil <= now { return .expired }
        return status
    }

    /// The companies entitled to see the offer: the requester and the seller it was routed to.
    public var parties: Set<String> {
        Set([requesterID] + [seller.companyID].compactMap { $0 })
    }
}
