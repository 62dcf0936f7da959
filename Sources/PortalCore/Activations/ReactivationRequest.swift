import Foundation

/// A request to the activation team for a reactivation past the self-service limit.
public struct ReactivationRequest: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        case pending, approved, rejected
    }

    public var id: String
    public var licenseID: String
    /// The requesting company, and its user.
    public var companyID: String
    public var requestedBy: String
    public var registrationKey: RegistrationKey
    public var reason: String
    public var status: Status
    public var createdAt: Date
    public var decidedAt: Date?
    public var decidedBy: String?
    /// The activation team's note (a rejection's reason).
    public var note: String?

    public init(
        id: String, licenseID: String, companyID: String, requestedBy: String, registrationKey: RegistrationKey,
        reason: String, status: Status = .pending, createdAt: Date, decidedAt: Date? = nil, decidedBy: String? = nil,
        note: String? = nil
    ) {
        self.id = id
        self.licenseID = licenseID
        self.companyID = companyID
        self.requestedBy = requestedBy
        self.registrationKey = registrationKey
        self.reason = reason
        self.status = status
        self.createdAt = createdAt
        self.decidedAt = decidedAt
        self.decidedBy = decidedBy
        self.note = note
    }
}
