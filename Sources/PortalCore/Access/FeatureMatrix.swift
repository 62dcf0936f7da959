/// Which view has which feature: the portal's feature matrix, kept as data in one place.
///
/// Policy code asks the matrix; no handler tests a view by name. Conditional grants (free keys
/// only where ALM licenses were bought or a provider contract is active) are decided by the
/// feature's own rules on top of the matrix.
public struct FeatureMatrix: Sendable, Equatable {
    private let grants: [PortalView: Set<PortalFeature>]

    public init(_ grants: [PortalView: Set<PortalFeature>]) {
        self.grants = grants
    }

    public func allows(_ feature: PortalFeature, in view: PortalView) -> Bool {
        grants[view]?.contains(feature) ?? false
    }

    /// The features of `view`, in declaration order.
    public func features(of view: PortalView) -> [PortalFeature] {
        PortalFeature.allCases.filter { allows($0, in: view) }
    }

    /// The product's default matrix. Offers and support are available in every view; destroying
    /// is available exactly where activation is.
    public static let standard = FeatureMatrix([
        .customer: [
            .licenseOverview, .softwareDownload, .softwareActivation, .serviceOffers, .destroyLicenses,
            .freeLicenseKeys, .supportRequests,
        ],
        .systemIntegrator: [
            .licenseOverview, .softwareDownload, .softwareActivation, .serviceOffers, .destroyLicenses,
            .supportRequests,
        ],
        .serviceProvider: [
            .licenseOverview, .softwareDownload, .softwareActivation, .serviceOffers, .destroyLicenses,
            .freeLicenseKeys, .supportRequests,
        ],
        .reseller: [.licenseOverview, .serviceOffers, .supportRequests],
        .distributor: [.licenseOverview, .serviceOffers, .supportRequests],
        .partner: [.licenseOverview, .softwareDownload, .serviceOffers, .supportRequests],
    ])
}
