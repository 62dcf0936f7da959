extension Offer {
    /// Whom an offer is routed to: the company that sold the licenses, in the role it sold them
    /// in (and sees the offer in, as a view), or the vendor's order team.
    public enum Seller: Sendable, Hashable {
        case reseller(String)
        case distributor(String)
        case vendor

        /// Routes a license's offer: its reseller, else its distributor, else the vendor. A seller
        /// of the license asking (a reseller renewing for its customer) asks its own supplier, the
        /// next one up that chain: nobody quotes to itself or to whom it sells.
        public static func of(_ license: License, requestedBy requester: String) -> Seller {
            let chain = [license.parties.reseller.map(Seller.reseller), license.parties.distributor.map(Seller.distributor)]
                .compactMap { $0 }
            let above = chain.lastIndex { $0.companyID == requester }.map { chain.index(after: $0) } ?? chain.startIndex
            return above < chain.endIndex ? chain[above] : .vendor
        }

        /// As stored and shown: `reseller`, `distributor` or `vendor`.
        public var role: String {
            switch self {
            case .reseller: PortalView.reseller.rawValue
            case .distributor: PortalView.distributor.rawValue
            case .vendor: "vendor"
            }
        }

        /// The selling company; nil for the vendor.
        public var companyID: String? {
            switch self {
            case .reseller(let company), .distributor(let company): company
            case .vendor: nil
            }
        }

        /// The view the selling company sees and quotes the offer in.
        public var view: PortalView? {
            switch self {
            case .reseller: .reseller
            case .distributor: .distributor
            case .vendor: nil
            }
        }

        /// The seller of a stored role and company; nil when they do not fit together.
        public init?(role: String, companyID: String?) {
            switch (role, companyID) {
            case (PortalView.reseller.rawValue, let company?): self = .reseller(company)
            case (PortalView.distributor.rawValue, let company?): self = .distributor(company)
            case ("vendor", nil): self = .vendor
            default: return nil
            }
        }
    }
}
