import Foundation
import PortalCore

/// A page of the license overview: what to show, in which order, from where.
public struct LicenseQuery: Sendable, Equatable {
    public enum SortField: String, Sendable, CaseIterable {
        case serviceEnd = "service_end"
        case runtimeEnd = "runtime_end"
        case purchaseDate = "purchase_date"
        case product
        case key
    }

    public enum SortOrder: String, Sendable, CaseIterable {
        case ascending = "asc"
        case descending = "desc"
    }

    /// Where the previous page ended: its last license's sort value and id.
    public struct Cursor: Sendable, Equatable {
        public var sortValue: String
        public var id: String

        public init(sortValue: String, id: String) {
            self.sortValue = sortValue
            self.id = id
        }
    }

    public var visibility: LicenseVisibility
    /// Only these statuses; empty: every status but `destroyed`.
    public var statuses: Set<LicenseStatus> = []
    public var serviceStates: Set<ServiceState> = []
    public var models: Set<LicenseModel> = []
    public var productIDs: Set<String> = []
    public var productLineIDs: Set<String> = []
    /// Service end within this range (inclusive).
    public var serviceEndFrom: Date?
    public var serviceEndTo: Date?
    /// Runtime or service ending within this many days from `now`.
    public var expiringWithinDays: Int?
    /// Case-insensitive text in the key, the order reference or the name of a party in `searchParties`.
    public var search: String?
    /// The parties whose names `search` looks at: those the view shows, so that a search can
    /// never hint at a party the view hides.
    public var searchParties: [LicensePartyRole] = [.owner]
    public var sort: SortField = .serviceEnd
    public var order: SortOrder = .ascending
    public var limit = 50
    public var after: Cursor?
    /// The moment statuses are computed for.
    public var now: Date

    public init(visibility: LicenseVisibility, now: Date) {
        self.visibility = visibility
        self.now = now
    }
}
