import Foundation

/// A destruction record: which licenses a company destroyed, who did it, when, and why. It
/// replaced the paper letter of destruction, so it is kept for good, like the licenses.
public struct Destruction: Sendable, Equatable {
    /// One destroyed license, with its key as it was when destroyed.
    public struct Item: Sendable, Equatable {
        public var licenseID: String
        public var key: LicenseKey

        public init(licenseID: String, key: LicenseKey) {
            self.licenseID = licenseID
            self.key = key
        }
    }

    /// The word the holder types to confirm; compared exactly, case included.
    public static let confirmationWord = "Accept"
    /// The most licenses one destruction takes.
    public static let maxLicenses = 500

    public var id: String
    /// The company that destroyed the licenses (the caller's, which may be an integrator's).
    public var companyID: String
    /// The view it was done in.
    public var view: PortalView
    /// The user who destroyed them.
    public var destroyedBy: String
    public var destroyedAt: Date
    public var comment: String?
    /// In the order they were named.
    public var licenses: [Item]

    public init(
        id: String, companyID: String, view: PortalView, destroyedBy: String, destroyedAt: Date, comment: String?,
        licenses: [Item]
    ) {
        self.id = id
        self.companyID = companyID
        self.view = view
        self.destroyedBy = destroyedBy
        self.destroyedAt = destroyedAt
        self.comment = comment
        self.licenses = licenses
    }

    /// Whether `word` is the confirmation word, exactly.
    public static func isConfirmed(by word: String?) -> Bool {
        word == confirmationWord
    }
}
