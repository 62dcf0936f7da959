import PortalCore
import Testing

@Suite struct FeatureMatrixTests {
    /// The matrix exactly as PRODUCT.md ("Features per view") prints it; `yes¹` counts as yes.
    static let productTable = """
        | feature | customer | system_integrator | service_provider | reseller | distributor | partner |
        | license overview | yes | yes | yes | yes | yes | yes |
        | software download | yes | yes | yes | no | no | yes |
        | software activation | yes | yes | yes | no | no | no |
        | request non-binding service offers | yes | yes | yes | yes | yes | yes |
        | destroy licenses | yes | yes | yes | no | no | no |
        | retrieve additional free license keys | yes¹ | no | yes¹ | no | no | no |
        | support requests | yes | yes | yes | yes | yes | yes |
        """

    /// PRODUCT.md's row titles for the features.
    static let featureTitles: [String: PortalFeature] = [
        "license overview": .licenseOverview,
        "software download": .softwareDownload,
        "software activation": .softwareActivation,
        "request non-binding service offers": .serviceOffers,
        "destroy licenses": .destroyLicenses,
        "retrieve additional free license keys": .freeLicenseKeys,
        "support requests": .supportRequests,
    ]

    /// The grants of `productTable`, parsed.
    static func productGrants() throws -> [PortalView: Set<PortalFeature>] {
        let rows = productTable.split(separator: "\n").map { row in
            row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        let views = try rows[0].dropFirst().map { try #require(PortalView(rawValue: $0), "view \($0)") }
        var grants = Dictionary(uniqueKeysWithValues: views.map { ($0, Set<PortalFeature>()) })
        for row in rows.dropFirst() {
            let feature = try #require(featureTitles[row[0]], "feature \(row[0])")
            for (view, cell) in zip(views, row.dropFirst()) where cell.hasPrefix("yes") {
                grants[view]!.insert(feature)
            }
        }
        return grants
    }

    @Test func theTableNamesEveryViewAndFeature() throws {
        let grants = try Self.productGrants()
        #expect(Set(grants.keys) == Set(PortalView.allCases))
        #expect(Set(Self.featureTitles.values) == Set(PortalFeature.allCases))
    }

    @Test(arguments: PortalView.allCases)
    func standardMatchesProductTable(view: PortalView) throws {
        let expected = try Self.productGrants()[view] ?? []
        for feature in PortalFeature.allCases {
            #expect(FeatureMatrix.standard.allows(feature, in: view) == expected.contains(feature), "\(view) × \(feature)")
        }
    }

    @Test func standardEqualsTheMatrixBuiltFromTheTable() throws {
        #expect(FeatureMatrix(try Self.productGrants()) == .standard)
    }

    @Test(arguments: PortalView.allCases)
    func destroyingIsAvailableExactlyWhereActivationIs(view: PortalView) {
        let matrix = FeatureMatrix.standard
        #expect(matrix.allows(.destroyLicenses, in: view) == matrix.allows(.softwareActivation, in: view))
    }

    @Test(arguments: PortalView.allCases)
    func offersSupportAndOverviewAreEverywhere(view: PortalView) {
        for feature in [PortalFeature.serviceOffers, .supportRequests, .licenseOverview] {
            #expect(FeatureMatrix.standard.allows(feature, in: view), "\(feature) in \(view)")
        }
    }

    @Test func customerHasTheMostFeatures() {
        let counts = PortalView.allCases.map { FeatureMatrix.standard.features(of: $0).count }
        #expect(FeatureMatrix.standard.features(of: .customer).count == counts.max())
        #expect(FeatureMatrix.standard.features(of: .customer) == PortalFeature.allCases)
    }

    @Test func featuresAreListedInDeclarationOrder() {
        #expect(FeatureMatrix.standard.features(of: .partner) == [
            .licenseOverview, .softwareDownload, .serviceOffers, .supportRequests,
        ])
    }

    @Test func aViewMissingFromACustomMatrixHasNoFeatures() {
        let matrix = FeatureMatrix([.customer: [.licenseOverview]])
        #expect(matrix.allows(.licenseOverview, in: .customer))
        #expect(!matrix.allows(.licenseOverview, in: .reseller))
        #expect(matrix.features(of: .reseller).isEmpty)
    }

    @Test func featureRawValuesAreSnakeCase() {
        #expect(PortalFeature.allCases.map(\.rawValue) == [
            "license_overview", "software_download", "software_activation", "service_offers", "destroy_licenses",
            "free_license_keys", "support_requests",
        ])
    }
}
