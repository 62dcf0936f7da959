import Foundation

/// A person who logs in: a user of a company, or a member of the vendor's staff.
public struct User: Sendable, Equatable {
    /// A company user's role within the company: an admin also manages the company's users.
    public enum CompanyRole: String, Sendable, Codable, CaseIterable {
        case admin, member
    }

    /// Where the account stands; only `active` accounts can log in.
    public enum Status: String, Sendable, Codable {
        /// Registered; the e-mail address is not confirmed yet.
        case pendingConfirmation = "pending_confirmation"
        /// Confirmed; waiting for the order team's approval.
        case pendingApproval = "pending_approval"
        case active
        case rejected
        case removed
    }

    public var id: String
    /// The user's company; nil for staff.
    public var companyID: String?
    /// Lower-cased; unique across all accounts.
    public var email: String
    public var name: String
    public var passwordHash: String
    /// Set for company users.
    public var companyRole: CompanyRole?
    /// Non-empty for staff.
    public var staffRoles: Set<StaffRole>
    public var status: Status
    public var createdAt: Date

    public init(
        id: String, companyID: String?, email: String, name: String, passwordHash: String,
        companyRole: CompanyRole?, staffRoles: Set<StaffRole>, status: Status, createdAt: Date
    ) {
        self.id = id
        self.companyID = companyID
        self.email = email
        self.name = name
        self.passwordHash = passwordHash
        self.companyRole = companyRole
        self.staffRoles = staffRoles
        self.status = status
        self.createdAt = createdAt
    }

    public var isStaff: Bool { !staffRoles.isEmpty }
}
