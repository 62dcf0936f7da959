import Foundation

/// One activation of a license on one server (registration key), with the keys handed out.
public struct Activation: Sendable, Equatable {
    /// Where an activation stands at a given time.
    public enum State: String, Sendable, CaseIterable {
        /// The current activation of its server.
        case active
        /// Superseded by a reactivation: it keeps working until `validUntil`, then it expires.
        case reactivationRequired = "reactivation_required"
        /// Superseded and past its grace period, or its license ended.
        case expired
    }

    public var id: String
    public var licenseID: String
    public var registrationKey: RegistrationKey
    public var activationKey: LicenseKey
    public var subscriptionKey: LicenseKey
    /// The signed activation certificate (JWS), as handed out.
    public var certificate: String
    /// Whether it replaced another activation (counts against the reactivation limit).
    public var isReactivation: Bool
    public var activatedAt: Date
    /// The user who activated it (or the staff member who approved the reactivation).
    public var activatedBy: String
    /// When a reactivation superseded it; nil while it is current.
    public var supersededAt: Date?
    /// The end of its grace period once superseded.
    public var graceEnd: Date?

    public init(
        id: String, licenseID: String, registrationKey: RegistrationKey, activationKey: LicenseKey,
        subscriptionKey: LicenseKey, certificate: String, isReactivation: Bool, activatedAt: Date, activatedBy: String,
        supersededAt: Date? = nil, graceEnd: Date? = nil
    ) {
        self.id = id
        self.licenseID = licenseID
        self.registrationKey = registrationKey
        self.activationKey = activationKey
        self.subscriptionKey = subscriptionKey
        self.certificate = certificate
        self.isReactivation = isReactivation
        self.activatedAt = activatedAt
        self.activatedBy = activatedBy
        self.supersededAt = supersededAt
        self.graceEnd = graceEnd
    }

    public var isCurrent: Bool { supersededAt == nil }

    /// Until when it works, for a license whose runtime ends at `runtimeEnd` (nil: perpetual).
    public func validUntil(runtimeEnd: Date?) -> Date? {
        switch (graceEnd, runtimeEnd) {
        case (let grace?, let end?): min(grace, end)
        case (let grace?, nil): grace
        case (nil, let end): end
        }
    }

    public func state(at now: Date, runtimeEnd: Date?) -> State {
        if let until = validUntil(runtimeEnd: runtimeEnd), until <= now { return .expired }
        return isCurrent ? .active : .reactivationRequired
    }
}
