/// A service feature of the portal, granted per view by the `FeatureMatrix`.
public enum PortalFeature: String, Sendable, CaseIterable, Codable {
    case licenseOverview = "license_overview"
    case softwareDownload = "software_download"
    case softwareActivation = "software_activation"
    case serviceOffers = "service_offers"
    case destroyLicenses = "destroy_licenses"
    case freeLicenseKeys = "free_license_keys"
    case supportRequests = "support_requests"
}
