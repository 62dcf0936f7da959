import Foundation

/// A license's status in the overview, with the traffic-light colour the portal shows.
public enum LicenseStatus: String, Sendable, CaseIterable, Codable {
    case notActivated = "not_activated"
    case activated
    /// The activation was invalidated; reactivate within 30 days, the license works meanwhile.
    case reactivationRequired = "reactivation_required"
    case expired
    /// Gone from every default listing; kept for audit.
    case destroyed

    public var colour: String {
        switch self {
        case .activated: "green"
        case .notActivated, .reactivationRequired: "yellow"
        case .expired: "red"
        case .destroyed: "grey"
        }
    }
}

/// Where a license's activation stands, as stored (the status adds time and destruction).
public enum ActivationState: String, Sendable, CaseIterable, Codable {
    case none
    case activated
    case reactivationRequired = "reactivation_required"
}

/// The state of a license's Update & Support service.
public enum ServiceState: String, Sendable, CaseIterable, Codable {
    case active
    /// 28 days or less left: the portal's yellow "!".
    case expiring
    case expired
    case none

    /// Days before the end from which a service counts as expiring.
    public static let expiringWindowDays = 28
}
